// @ts-check
// glnn's keys in a browser: one table, the window's (glnn/app/controls.py KEYMAP), shipped from Python as
// spec.tables.keys, {KeyboardEvent.key: action name} (glnn/io/html_page.py web_keys()). Each page binds the named
// actions it has (the exported page and the widget: glnn_view.js; the playground: playground_ui.js too) and leaves
// the other keys alone, so a key does the same thing in the window and on every page.

/** @typedef {Record<string, string>} Keys */

/**
 * The action a keydown asks for, or null: a key of no action, one held with Ctrl, Alt or Meta (the browser's),
 * one typed into a text field or a menu, or one of `buttonKeys` (tables.button_keys) on a focused button or link.
 * @param {KeyboardEvent} e
 * @param {Keys} keys
 * @param {string[]} [buttonKeys]
 * @returns {string | null}
 */
export function keyAction(e, keys, buttonKeys = []) {
  if (e.ctrlKey || e.altKey || e.metaKey) return null;
  const target = /** @type {HTMLElement | null} */ (e.target);
  const tag = target && target.tagName;
  if (tag === "INPUT" || tag === "SELECT" || tag === "TEXTAREA") return null;
  // a focused button or link takes the keys that press it (tables.button_keys: space, Enter), a keyboard's click
  if (buttonKeys.includes(e.key) && (tag === "BUTTON" || tag === "A" || tag === "SUMMARY")) return null;
  return Object.prototype.hasOwnProperty.call(keys, e.key) ? keys[e.key] : null;
}

/**
 * The key a hint names for an action ("+" for zoom_in where it has it, else its first key; " " as "space"),
 * or "" when no key does it.
 * @param {Keys} keys
 * @param {string} action
 */
export function keyHint(keys, action) {
  const all = Object.keys(keys).filter(k => keys[k] === action);
  const k = all.includes("+") ? "+" : all.length ? all[0] : "";
  return k === " " ? "space" : k;
}

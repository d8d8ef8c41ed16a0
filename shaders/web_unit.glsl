// The playground's unit probes (glnn playground; glnn/rendering/probes.py is the definition), for layers whose activation
// is bounded (an unbounded one is scaled by the largest value in view, which one pixel cannot know):
//   unit:K:J  unit J of hidden layer K as a gray level over its activation's range (PROBE_UNIT, PROBE_INDEX = J - 1)
//   units:K   every unit of layer K as a tile of a sheet (PROBE_UNITS): probes.sheet_layout's tiles, shaped like
//             the sheet, PROBE_GUTTER white pixels between and around them (glnn/rendering/sheet.py Layout), white beyond;
//             each tile the view drawn at the tile's size
// network.glsl's hidden_state(), stopped after layer K (PROBE_LAYER, from 1). PROBE_BOUNDS (vec2: the range) and
// the rest come from glnn/web/playground.js. Also the saturation probe's saturated_fraction() (its hook:
// web_saturation.glsl, included before network.glsl).
#ifdef PROBE_SATURATION
float saturated_fraction(vec2 xy) {
    saturated_count = 0.0;
    vec4 a[HID4];
    hidden_state(xy, u_depth - 1, a);
    return saturated_count / float((DEPTH - 1) * WIDTH);
}
#endif

#if defined(PROBE_UNIT) || defined(PROBE_UNITS)
#ifdef UNIT_SLOTS
// a network with per-unit layers: their units are grouped by activation in the weights, so unit j of layer K
// is in slot UNIT_SLOT[(K - 1) * WIDTH + j] of hidden_state()'s a[] (glnn/web/webgl.py unit_slot_defines)
const int UNIT_SLOT[(DEPTH - 1) * WIDTH] = int[(DEPTH - 1) * WIDTH](UNIT_SLOTS);
#define PROBE_SLOT(index) UNIT_SLOT[(PROBE_LAYER - 1) * WIDTH + (index)]
#else
#define PROBE_SLOT(index) (index)
#endif
float unit_gray(vec2 xy, int index) {
    vec4 a[HID4];
    hidden_state(xy, PROBE_LAYER, a);
    vec2 r = PROBE_BOUNDS;
    int s = PROBE_SLOT(index);
    return clamp((a[s / 4][s % 4] - r.x) / (r.y - r.x), 0.0, 1.0);
}
#endif

#ifdef PROBE_UNITS
// p: a canvas point as canvas_xy() takes it
float units_sheet(vec2 p) {
    int W = int(u_size.x), H = int(u_size.y);
    int cols = int(max(1.0, min(float(WIDTH), roundEven(sqrt(float(WIDTH) * u_size.x / u_size.y)))));
    int rows = (WIDTH + cols - 1) / cols;
    int tw = (W - (cols + 1) * PROBE_GUTTER) / cols, th = (H - (rows + 1) * PROBE_GUTTER) / rows;
    int x = int(floor(p.x)) - PROBE_GUTTER, y = int(floor(u_size.y - p.y)) - PROBE_GUTTER;   // row 0 at the top
    if (tw < 1 || th < 1 || x < 0 || y < 0) return 1.0;
    int col = x / (tw + PROBE_GUTTER), row = y / (th + PROBE_GUTTER);
    int cx = x - col * (tw + PROBE_GUTTER), cy = y - row * (th + PROBE_GUTTER);
    int i = row * cols + col;
    if (cx >= tw || cy >= th || col >= cols || i >= WIDTH) return 1.0;
    // the tile's own view: the same centre and extent at tw x th pixels (docs/contract.md, the view)
    float s = u_pixel * min(u_size.x, u_size.y) / float(min(tw, th));
    vec2 xy = u_center + vec2(float(cx) + 0.5 - 0.5 * float(tw), 0.5 * float(th) - float(cy) - 0.5) * s;
    return unit_gray(xy, i);
}
#endif

"""The browser: the exported page and Shadertoy shader (webgl, export), the notebook widget, the playground, and
the front end's JavaScript modules and templates beside them."""

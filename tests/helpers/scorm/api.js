// The SCORM API discovery algorithm (1.2 RTE 3.2, 2004 RTE 3.1.4): look up the frames' parents, then
// the opener's, for the runtime object the LMS exposes.
window.findScormApi = function (name) {
  function scan(win) {
    for (let tries = 0; win && tries < 10; tries += 1) {
      if (win[name]) return win[name];
      if (win.parent === win) break;
      win = win.parent;
    }
    return null;
  }
  return scan(window) || (window.opener ? scan(window.opener) : null);
};

// The video player: Plyr around the page's <video>, and the report of what was watched.
// What counts is the stretches of the timeline actually played (merged on the server), never the
// playhead: a seek closes the stretch being played, so jumping to the end adds nothing.
(() => {
  "use strict";
  const box = document.getElementById("video-player");
  const video = document.getElementById("video");
  if (!box || !video) return;
  const url = box.dataset.progressUrl;
  const csrf = box.dataset.csrf;
  let finished = box.dataset.finished === "true";
  const REPORT_EVERY_MS = 10000;

  if (window.Plyr) {
    // Icons from our own copy (the default loads them from a CDN, which the page's policy forbids).
    new window.Plyr(video, {
      iconUrl: box.dataset.icons,
      blankVideo: "",
      captions: { active: true, language: "en", update: false },
      settings: ["captions", "speed"],
      speed: { selected: 1, options: [0.75, 1, 1.25, 1.5, 2] },
    });
  }

  let pending = [];        // closed stretches not yet reported: [start, end]
  let start = null;        // where the stretch being played began
  let last = null;         // the time of the last update in it
  let startWall = 0;       // performance.now() when the stretch began
  let spentFrom = performance.now();

  function close() {
    if (start !== null && last !== null && last > start) pending.push([start, last]);
    start = null;
  }
  function open() {
    start = last = video.currentTime;
    startWall = performance.now();
  }
  video.addEventListener("playing", () => { if (!video.seeking) open(); });
  // A stretch cannot run ahead of the wall time since it began times the rate: more is a jump, not
  // watching. Measured over the whole stretch, not between two updates, so updates that arrive late
  // on a busy machine (and carry a stale playhead) never look like a jump.
  function advance() {
    if (video.seeking || start === null) return;
    const now = video.currentTime;
    const allowed = ((performance.now() - startWall) / 1000) * video.playbackRate + 1;
    if (now < last || now - start > allowed) { close(); open(); return; }
    last = now;
  }
  video.addEventListener("timeupdate", () => { if (!video.paused) advance(); });
  // A new speed starts a new stretch, so each is measured at its own rate.
  video.addEventListener("ratechange", () => { if (!video.paused && start !== null) { advance(); close(); open(); } });
  video.addEventListener("seeking", close);
  video.addEventListener("seeked", () => { if (!video.paused) open(); });
  // At a pause or the end, the last stretch runs to where the playhead stopped.
  video.addEventListener("pause", () => { advance(); close(); report(); });
  video.addEventListener("ended", () => { advance(); close(); report(); });
  video.addEventListener("loadedmetadata", () => {
    const resume = parseFloat(box.dataset.resume || "0");
    if (resume > 0 && resume < video.duration - 1) video.currentTime = resume;
  });

  function report(keepalive = false) {
    if (finished || !Number.isFinite(video.duration)) return;
    const played = pending;
    pending = [];
    const now = performance.now();
    const body = {
      played: played.slice(0, 500),
      position: video.currentTime,
      duration: video.duration,
      seconds: Math.min(3600, Math.round((now - spentFrom) / 1000)),
    };
    spentFrom = now;
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      keepalive: keepalive,
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: JSON.stringify(body),
    })
      .then((response) => (response.ok ? response.json() : Promise.reject(response)))
      .then(show)
      .catch(() => { pending = played.concat(pending); });
  }
  function show(data) {
    const status = document.getElementById("video-status");
    const watched = document.getElementById("video-watched");
    if (data.status === "completed") {
      finished = true;
      if (status) status.textContent = "Completed: you watched this video.";
      const tag = document.querySelector("#attempt-status .tag");
      if (tag) { tag.textContent = "Completed"; tag.className = "tag status-completed"; }
    } else if (watched) {
      watched.textContent = String(Math.round(data.progress * 100));
    }
  }
  // Every ten seconds while playing, the stretch so far is reported and a new one begins where it ended.
  setInterval(() => {
    if (video.paused || start === null) return;
    advance();
    close();
    report();
    open();
  }, REPORT_EVERY_MS);
  window.addEventListener("pagehide", () => { close(); report(true); });
})();

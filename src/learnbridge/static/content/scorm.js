// The SCORM player. scorm-again provides the run-time API a SCO finds by walking up its frames: window.API
// (SCORM 1.2) or window.API_1484_11 (SCORM 2004). Each SCO session starts from the CMI the server stored
// (loadFromJSON before the SCO's Initialize: resume data after a suspend), and every commit posts the whole
// CMI back (lmsCommitUrl, synchronous as SCORM expects, with the page's CSRF token). Multi-SCO packages get
// a table of contents (choice) and Previous / Continue (flow), as the manifest's control mode allows.
(function () {
  "use strict";
  const root = document.getElementById("scorm-player");
  if (!root || !window.fetch) return;
  const scorm12 = root.dataset.kind === "scorm12";
  const base = "/api/v1/attempts/" + encodeURIComponent(root.dataset.attempt);
  const frame = document.getElementById("scorm-frame");
  const toc = document.getElementById("scorm-toc");
  const contents = document.getElementById("scorm-contents");
  const flow = document.getElementById("scorm-flow");
  const previous = document.getElementById("scorm-previous");
  const next = document.getElementById("scorm-continue");
  const result = document.getElementById("scorm-result");
  const loading = document.getElementById("scorm-loading");
  const LABELS = { completed: "Completed", passed: "Passed", failed: "Failed", incomplete: "In progress" };
  let player = null;
  let current = null;
  let api = null;
  let pendingNav = null;

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } }).then((r) => {
      if (!r.ok) throw new Error("The server answered " + r.status);
      return r.json();
    });
  }

  function launchable() {
    return player.items.filter((item) => item.launch_url);
  }

  function stateOf(item) {
    if (!item.type || item.type !== "sco") return "";
    if (item.success_status === "passed" || item.success_status === "failed") return LABELS[item.success_status];
    return LABELS[item.completion_status] || "Not started";
  }

  function renderContents() {
    const items = player.items.filter((item) => item.visible);
    const many = launchable().length > 1;
    contents.hidden = !(many && player.control.choice);
    flow.hidden = !(many && player.control.flow);
    toc.replaceChildren();
    items.forEach((item) => {
      const li = document.createElement("li");
      li.dataset.depth = String(Math.min(item.depth, 2));
      const label = document.createElement(item.launch_url ? "button" : "span");
      label.textContent = item.title;
      if (item.launch_url) {
        label.type = "button";
        label.className = "outline";
        label.addEventListener("click", () => open(item.id));
      }
      if (item.id === current) label.setAttribute("aria-current", "step");
      const state = document.createElement("span");
      state.className = "scorm-state";
      state.textContent = stateOf(item);
      label.appendChild(state);
      li.appendChild(label);
      toc.appendChild(li);
    });
    const order = launchable().map((item) => item.id);
    const at = order.indexOf(current);
    previous.disabled = at <= 0 || player.control.forward_only;
    next.disabled = at < 0 || at >= order.length - 1;
  }

  function showAttempt(attempt) {
    if (!attempt.finished) {
      result.textContent = "";
      return;
    }
    const score = attempt.score === null ? "" : " Score: " + Math.round(attempt.score * 100) + "%.";
    const words = { passed: "You passed.", failed: "You did not pass this time.", completed: "You completed it." };
    result.textContent = (words[attempt.status] || "") + score;
    const header = document.getElementById("attempt-status");
    if (header) header.textContent = (LABELS[attempt.status] || attempt.status) + "." + score;
  }

  // scorm-again reads {result, errorCode} from each commit's answer; the rest updates the page.
  function commitAnswered(xhr) {
    if (xhr.status < 200 || xhr.status > 299) return { result: "false", errorCode: 391 };
    try {
      const body = JSON.parse(xhr.responseText);
      if (body.attempt) showAttempt(body.attempt);
    } catch (error) {
      return { result: "false", errorCode: 391 };
    }
    return { result: "true", errorCode: 0 };
  }

  // Every commit, the terminating one included, is a synchronous POST carrying the CSRF header
  // (scorm-again would send the terminating one with sendBeacon, which cannot carry a header).
  const httpService = {
    processHttpRequest(url, params) {
      const xhr = new XMLHttpRequest();
      xhr.open("POST", url, false);
      xhr.setRequestHeader("Content-Type", "application/json");
      xhr.setRequestHeader("X-CSRF-Token", root.dataset.csrf);
      try {
        xhr.send(JSON.stringify(params));
      } catch (error) {
        return { result: "false", errorCode: 391 };
      }
      return commitAnswered(xhr);
    },
    updateSettings() {},
  };

  function runtimeFor(id, launch) {
    const settings = {
      lmsCommitUrl: base + "/scos/" + encodeURIComponent(id) + "/runtime?session=" + encodeURIComponent(launch.session),
      autocommit: true,
      autocommitSeconds: 15,
      terminateCommitParam: "terminate",
      httpService: httpService,
      logLevel: 4,
    };
    const runtime = scorm12 ? new window.Scorm12API(settings) : new window.Scorm2004API(settings);
    runtime.loadFromJSON(launch.cmi, "cmi");
    runtime.on(scorm12 ? "LMSFinish" : "Terminate", () => window.setTimeout(afterTerminate, 0));
    if (!scorm12) {
      runtime.on("SetValue.adl.nav.request", (element, value) => { pendingNav = value; });
    }
    return runtime;
  }

  function endSession() {
    // A SCO that is left without terminating is terminated for it, so its last data is committed.
    if (api && api.isInitialized() && !api.isTerminated()) {
      if (scorm12) api.LMSFinish("");
      else api.Terminate("");
    }
  }

  function open(id) {
    const item = player.items.find((candidate) => candidate.id === id);
    if (!item || !item.launch_url) return Promise.resolve();
    endSession();
    pendingNav = null;
    const ready = item.type === "sco" ? getJSON(base + "/scos/" + encodeURIComponent(id) + "/runtime") : null;
    return Promise.resolve(ready).then((launch) => {
      delete window.API;
      delete window.API_1484_11;
      api = launch ? runtimeFor(id, launch) : null;
      if (api && scorm12) window.API = api;
      if (api && !scorm12) window.API_1484_11 = api;
      current = id;
      frame.src = item.launch_url;
      frame.hidden = false;
      loading.hidden = true;
      renderContents();
    }).catch(failed);
  }

  function step(by) {
    const order = launchable().map((item) => item.id);
    const target = order[order.indexOf(current) + by];
    if (target) open(target);
  }

  function refresh() {
    return getJSON(base + "/scorm").then((state) => {
      player = state;
      renderContents();
      showAttempt(player.attempt);
    });
  }

  function afterTerminate() {
    const nav = pendingNav || "";
    pendingNav = null;
    refresh().then(() => {
      if (nav === "continue") step(1);
      else if (nav === "previous") step(-1);
      else if (nav.indexOf("{target=") === 0) open(nav.slice(8, nav.indexOf("}")));
      else if (nav === "exitAll" || nav === "suspendAll" || nav === "exit") {
        frame.hidden = true;
        if (!player.attempt.finished) result.textContent = "Your place is saved: come back to carry on.";
      }
    }).catch(failed);
  }

  function failed(error) {
    loading.hidden = true;
    result.textContent = "The course could not be loaded (" + error.message + "). Reload the page to try again.";
  }

  previous.addEventListener("click", () => step(-1));
  next.addEventListener("click", () => step(1));
  window.addEventListener("pagehide", endSession);
  getJSON(base + "/scorm").then((state) => {
    player = state;
    showAttempt(player.attempt);
    return open(player.current);
  }).catch(failed);
})();

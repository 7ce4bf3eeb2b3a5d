// The cmi5 player (templates/content/players/cmi5.html): launching an AU asks the server for its launch
// URL (cmi5 8.1: the server writes the launch data and the launched statement first), then opens it in
// the frame (AnyWindow) or a window of its own (OwnWindow). While an AU runs, the AUs' statuses are
// refreshed from the server. An xAPI package's player (players/xapi.html) uses the same launch.
(() => {
  const player = document.querySelector("[data-cmi5-player]");
  if (!player) return;
  const frame = player.querySelector("[data-cmi5-frame]");
  const message = player.querySelector("[data-cmi5-message]");
  let polling = null;

  async function refresh() {
    if (!player.dataset.statusUrl) return;
    const response = await fetch(player.dataset.statusUrl, { headers: { Accept: "application/json" } });
    if (!response.ok) return;
    const state = await response.json();
    for (const au of state.aus || []) {
      const tag = player.querySelector(`[data-au="${au.index}"] [data-au-status]`);
      if (tag && tag.textContent !== au.status) tag.textContent = au.status;
    }
    if (state.finished && player.dataset.finished !== "yes") {
      player.dataset.finished = "yes";
      message.textContent = `Course ${state.label.toLowerCase()}.`;
      const status = document.getElementById("attempt-status");
      if (status) status.textContent = `${state.label}.`;
    }
  }

  function poll() {
    if (polling === null) polling = window.setInterval(refresh, 2000);
  }

  player.addEventListener("submit", async (event) => {
    const form = event.target.closest("[data-cmi5-launch]");
    if (!form) return;
    event.preventDefault();
    message.textContent = "Opening…";
    const response = await fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
    });
    if (!response.ok) {
      message.textContent = "The course part could not be opened. Reload the page and try again.";
      return;
    }
    const launch = await response.json();
    if (launch.own_window) {
      const opened = window.open(launch.url, "_blank");
      if (!opened) window.location.assign(launch.url);
      message.textContent = "The course part opened in a new window.";
    } else {
      frame.hidden = false;
      frame.src = launch.url;
      frame.focus();
      message.textContent = "";
    }
    poll();
  });
})();

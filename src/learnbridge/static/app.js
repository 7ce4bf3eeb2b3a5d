// Learnbridge's own behaviours. Pages carry no inline script (the Content-Security-Policy allows none):
// an element asks for a behaviour with a data- attribute.
document.addEventListener("focusin", (event) => {
  const field = event.target;
  if (field instanceof HTMLInputElement && field.hasAttribute("data-select-on-focus")) {
    field.select();
  }
});

// The main menu collapses behind a Menu button below 1024 px (app.css); without script it stays open.
document.documentElement.classList.add("js");
document.addEventListener("click", (event) => {
  const toggle = event.target instanceof Element ? event.target.closest("[data-menu-toggle]") : null;
  if (!toggle) {
    return;
  }
  const menu = document.getElementById(toggle.getAttribute("aria-controls") || "");
  const open = toggle.getAttribute("aria-expanded") !== "true";
  toggle.setAttribute("aria-expanded", String(open));
  menu?.classList.toggle("open", open);
});
document.addEventListener("keydown", (event) => {
  const toggle = document.querySelector("[data-menu-toggle][aria-expanded='true']");
  if (event.key === "Escape" && toggle instanceof HTMLElement) {
    toggle.click();
    toggle.focus();
  }
});

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

// Searchable pickers (templates/_picker.html): the filter field hides the choices not matching what is
// typed (ticked ones stay), and a line counts what is ticked.
function updatePicker(picker) {
  const filter = picker.querySelector("[data-picker-filter]");
  const words = (filter?.value || "").trim().toLowerCase();
  let ticked = 0;
  for (const label of picker.querySelectorAll(".picker-options label")) {
    const box = label.querySelector("input");
    if (box?.checked) {
      ticked += 1;
    }
    label.hidden = Boolean(words) && !box?.checked && !label.textContent.toLowerCase().includes(words);
  }
  const count = picker.querySelector("[data-picker-count]");
  if (count) {
    count.textContent = ticked ? `${ticked} chosen` : "None chosen";
  }
}
function setUpPickers(root) {
  for (const picker of root.querySelectorAll("[data-picker]")) {
    const filter = picker.querySelector("[data-picker-filter]");
    if (filter && filter.hidden) {
      filter.hidden = false;
      filter.addEventListener("input", () => updatePicker(picker));
      picker.addEventListener("change", () => updatePicker(picker));
      updatePicker(picker);
    }
  }
}
document.addEventListener("DOMContentLoaded", () => setUpPickers(document));
document.addEventListener("htmx:afterSwap", (event) => setUpPickers(event.target));
document.addEventListener("keydown", (event) => {
  // Enter in a picker's filter field filters; it does not submit the form around it.
  if (event.key === "Enter" && event.target instanceof Element && event.target.matches("[data-picker-filter]")) {
    event.preventDefault();
  }
});

// On a phone a wide table scrolls in its own box (app.css); a box that scrolls must be reachable by
// keyboard, so such a table takes focus while it overflows.
function focusableScrollers() {
  for (const table of document.querySelectorAll("main table")) {
    const scrolls = table.scrollWidth > table.clientWidth + 1;
    if (scrolls && !table.hasAttribute("tabindex")) {
      table.setAttribute("tabindex", "0");
      table.dataset.scrollFocus = "1";
    } else if (!scrolls && table.dataset.scrollFocus) {
      table.removeAttribute("tabindex");
      delete table.dataset.scrollFocus;
    }
  }
}
document.addEventListener("DOMContentLoaded", focusableScrollers);
window.addEventListener("resize", focusableScrollers);
document.addEventListener("htmx:afterSwap", focusableScrollers);

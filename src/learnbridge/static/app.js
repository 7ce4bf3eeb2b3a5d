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

// Skill pickers (templates/skills/_picker.html): an ARIA 1.2 combobox over the server's search. The
// search field asks /skills/options as the person types; the options come back into the listbox; arrow
// keys move through them, Enter or a click chooses one (its id into the hidden field, its name into the
// search field), Escape closes the list. Typing again forgets the choice until another is made.
function pickerParts(element) {
  const picker = element.closest("[data-skill-picker]");
  if (!picker) {
    return null;
  }
  return {
    picker,
    input: picker.querySelector("[data-skill-search]"),
    value: picker.querySelector("[data-skill-value]"),
    list: picker.querySelector("[role='listbox']"),
    status: picker.querySelector("[data-skill-status]"),
    clear: picker.querySelector("[data-skill-clear]"),
  };
}
function closeSkillList(parts) {
  parts.list.hidden = true;
  parts.input.setAttribute("aria-expanded", "false");
  parts.input.removeAttribute("aria-activedescendant");
}
function setSkillValue(parts, value) {
  // A change event, so that a form refreshing on change (the catalogue's filters) hears of it.
  parts.value.value = value;
  parts.value.dispatchEvent(new Event("change", { bubbles: true }));
}
function chooseSkill(parts, option) {
  parts.input.value = option.dataset.label; // first: a form sent on the change sends the name with the id
  setSkillValue(parts, option.dataset.value);
  parts.status.textContent = `Chosen: ${option.dataset.label}.`;
  closeSkillList(parts);
  parts.input.focus();
}
function moveSkillOption(parts, step) {
  const options = [...parts.list.querySelectorAll("[role='option']")];
  if (!options.length) {
    return;
  }
  const current = options.findIndex((option) => option.getAttribute("aria-selected") === "true");
  const next = options[(current + step + options.length) % options.length];
  for (const option of options) {
    option.setAttribute("aria-selected", String(option === next));
  }
  parts.input.setAttribute("aria-activedescendant", next.id);
  next.scrollIntoView({ block: "nearest" });
}
document.addEventListener("DOMContentLoaded", () => {
  for (const clear of document.querySelectorAll("[data-skill-clear]")) {
    clear.hidden = false;
  }
});
document.addEventListener("htmx:configRequest", (event) => {
  const input = event.detail.elt;
  if (input instanceof HTMLInputElement && input.matches("[data-skill-search]")) {
    // The search field's own name is the form's (skill_text); the search asks for q, for this picker.
    const params = event.detail.parameters;
    delete params[input.name];
    params.q = input.value;
    params.picker = input.id;
  }
});
document.addEventListener("htmx:afterSwap", (event) => {
  const list = event.detail.target;
  const parts = list instanceof Element && list.matches("[role='listbox']") ? pickerParts(list) : null;
  if (!parts) {
    return;
  }
  if (parts.value.value) {
    // An answer that arrives after a skill was chosen (typing since would have emptied the choice).
    closeSkillList(parts);
    return;
  }
  const count = list.querySelectorAll("[role='option']").length;
  const typed = parts.input.value.trim();
  list.hidden = count === 0;
  parts.input.setAttribute("aria-expanded", String(count > 0));
  parts.input.removeAttribute("aria-activedescendant");
  if (!typed) {
    parts.status.textContent = "Type part of a skill's name, then pick it from the list.";
  } else if (count) {
    const many = count === 1 ? "1 skill matches" : `${count} skills match`;
    parts.status.textContent = `${many}: use the arrow keys and Enter, or click one.`;
  } else {
    parts.status.textContent = `No skill matches “${typed}”.`;
  }
});
document.addEventListener("input", (event) => {
  const parts = event.target instanceof Element && event.target.matches("[data-skill-search]") ? pickerParts(event.target) : null;
  if (parts) {
    parts.value.value = "";
  }
});
document.addEventListener("keydown", (event) => {
  const parts = event.target instanceof Element && event.target.matches("[data-skill-search]") ? pickerParts(event.target) : null;
  if (!parts) {
    return;
  }
  const open = !parts.list.hidden;
  if (event.key === "ArrowDown" || event.key === "ArrowUp") {
    event.preventDefault();
    if (open) {
      moveSkillOption(parts, event.key === "ArrowDown" ? 1 : -1);
    } else if (parts.list.querySelector("[role='option']")) {
      parts.list.hidden = false;
      parts.input.setAttribute("aria-expanded", "true");
    }
  } else if (event.key === "Enter" && open) {
    const active = parts.list.querySelector("[aria-selected='true']") || parts.list.querySelector("[role='option']");
    if (active) {
      event.preventDefault();
      chooseSkill(parts, active);
    }
  } else if (event.key === "Escape" && open) {
    event.preventDefault();
    closeSkillList(parts);
  }
});
document.addEventListener("click", (event) => {
  const target = event.target instanceof Element ? event.target : null;
  const option = target?.closest("[data-skill-picker] [role='option']");
  const clear = target?.closest("[data-skill-clear]");
  const parts = option || clear ? pickerParts(option || clear) : null;
  if (option && parts) {
    chooseSkill(parts, option);
  } else if (clear && parts) {
    setSkillValue(parts, "");
    parts.input.value = "";
    parts.list.replaceChildren();
    closeSkillList(parts);
    parts.status.textContent = "No skill chosen.";
    parts.input.focus();
  }
  for (const picker of document.querySelectorAll("[data-skill-picker]")) {
    if (!target || !picker.contains(target)) {
      const other = pickerParts(picker);
      if (other && !other.list.hidden) {
        closeSkillList(other);
      }
    }
  }
});

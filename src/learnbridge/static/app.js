// Learnbridge's own behaviours. Pages carry no inline script (the Content-Security-Policy allows none):
// an element asks for a behaviour with a data- attribute.
document.addEventListener("focusin", (event) => {
  const field = event.target;
  if (field instanceof HTMLInputElement && field.hasAttribute("data-select-on-focus")) {
    field.select();
  }
});

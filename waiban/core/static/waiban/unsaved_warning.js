// Forms marked data-warn-unsaved: leaving the page with changes that were not saved asks first
// (the browser's own "leave site?" question). Saving clears the mark.
(() => {
  for (const form of document.querySelectorAll("form[data-warn-unsaved]")) {
    let dirty = false;
    const mark = (event) => {
      if (!event.target.closest("[data-no-unsaved]")) dirty = true;
    };
    form.addEventListener("input", mark);
    form.addEventListener("change", mark);
    form.addEventListener("submit", () => { dirty = false; });
    window.addEventListener("beforeunload", (event) => {
      if (!dirty) return;
      event.preventDefault();
      event.returnValue = "";
    });
  }
})();

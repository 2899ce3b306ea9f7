// Inside the application form's dialog: tell the form which person was added (same origin only).
(() => {
  const added = document.querySelector("[data-person-added]");
  if (!added || window.parent === window) return;
  window.parent.postMessage(
    { type: "waiban:person-added", id: added.dataset.personAdded, label: added.dataset.label },
    window.location.origin,
  );
})();

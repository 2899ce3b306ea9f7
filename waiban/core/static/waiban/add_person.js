// The application form: add a traveller without leaving the form. The person form opens in a
// dialog; once saved, the new person is offered in every member row and chosen in the first
// empty one (a row is added when none is empty). What was typed in the form stays.
(() => {
  const dialog = document.getElementById("add-person-dialog");
  const open = document.querySelector("[data-open-add-person]");
  if (!dialog || !open) return;
  const frame = dialog.querySelector("iframe");
  open.addEventListener("click", () => {
    frame.src = open.dataset.url;
    dialog.showModal();
  });
  dialog.querySelector("[data-close]").addEventListener("click", () => dialog.close());
  window.addEventListener("message", (event) => {
    if (event.origin !== window.location.origin || event.data?.type !== "waiban:person-added") return;
    const { id, label } = event.data;
    const selects = () => [...document.querySelectorAll("#members select[name$='-person']")];
    const template = document.querySelector("template[data-empty-form=members]");
    for (const select of selects()) select.add(new Option(label, id));
    if (template) {
      const select = template.content.querySelector("select[name$='-person']");
      if (select) select.add(new Option(label, id));
    }
    let row = selects().find((s) => !s.value);
    if (!row) {
      document.querySelector("[data-add-row=members]")?.click();
      row = selects().find((s) => !s.value);
    }
    if (row) {
      row.value = id;
      row.dispatchEvent(new Event("change", { bubbles: true }));
    }
    dialog.close();
  });
})();

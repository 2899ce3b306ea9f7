// Adds a row to a Django formset from its <template>, keeping the management form in step.
document.querySelectorAll("[data-add-row]").forEach((button) => {
  button.addEventListener("click", () => {
    const prefix = button.dataset.addRow;
    const total = document.getElementById(`id_${prefix}-TOTAL_FORMS`);
    const template = document.querySelector(`template[data-empty-form="${prefix}"]`);
    const index = parseInt(total.value, 10);
    const html = template.innerHTML.replace(/__prefix__/g, String(index));
    document.querySelector(`[data-formset="${prefix}"]`).insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
  });
});

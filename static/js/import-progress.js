// Say that an import is under way: a long transcript takes a few seconds to read and save.
// Without JavaScript the form posts all the same.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("import-form");
  if (!form) return;
  form.addEventListener("submit", () => {
    const button = form.querySelector("[data-busy]");
    const status = document.getElementById("import-progress");
    if (status && button) status.textContent = button.dataset.busy;
    if (button) button.disabled = true;
  });
});

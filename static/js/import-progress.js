// Show how far an import is while the form posts: the post carries a token naming the import,
// and the page asks the server how far that import is until the answer replaces the page (a
// long transcript takes a few seconds to read and save). Without JavaScript the form posts
// all the same and the answer is the review screen or the form with its errors.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("import-form");
  if (!form) return;
  const button = form.querySelector("[data-busy]");
  const status = document.getElementById("import-progress");
  const bar = document.getElementById("import-progress-bar");
  const token = form.querySelector("input[name=progress]");
  let timer = null;

  const show = (step) => {
    if (typeof step.percent === "number") bar.value = step.percent;
    if (step.message) status.textContent = step.message;
  };

  const poll = async (url) => {
    try {
      const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
      if (response.ok) {
        const step = await response.json();
        show(step);
        if (step.state === "done" || step.state === "failed") return;
      }
    } catch (error) {
      // The answer is arriving and the page is going: nothing left to show.
    }
    timer = setTimeout(() => poll(url), 400);
  };

  form.addEventListener("submit", () => {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    token.value = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    if (button) {
      status.textContent = button.dataset.busy;
      button.disabled = true;
    }
    bar.removeAttribute("value"); // no value yet: the bar shows that work is under way
    bar.hidden = false;
    const url = `${form.dataset.progressUrl}?token=${token.value}`;
    timer = setTimeout(() => poll(url), 300);
  });

  // Back from the result, the browser may show this page as it was left: ready it again.
  window.addEventListener("pageshow", (event) => {
    if (!event.persisted) return;
    clearTimeout(timer);
    bar.hidden = true;
    status.textContent = "";
    if (button) button.disabled = false;
  });
});

{
  const form = document.querySelector("#prerender form");
  const button = form.querySelector('button[type="submit"]');
  const ready = () => form.dataset.required !== "1" || form.querySelector("input:checked") !== null;
  const update = () => { if (!form.dataset.advance) button.disabled = !ready(); };
  form.addEventListener("change", update);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (!ready()) return;
    form.dataset.advance = "1";
    button.disabled = true;
    button.textContent = form.dataset.wait;
  });
  update();
  form.dataset.enhanced = "1";
}

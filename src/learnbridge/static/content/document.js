// The document viewer: PDF.js draws the page; each page shown is reported (the furthest one read is
// what counts, and the last page completes the document).
const box = document.getElementById("document-viewer");

async function start() {
  const pdfjs = await import(box.dataset.pdfjs);
  pdfjs.GlobalWorkerOptions.workerSrc = box.dataset.worker;
  // No eval: the page's policy allows scripts from this site only (script-src 'self').
  const pdf = await pdfjs.getDocument({ url: box.dataset.src, isEvalSupported: false }).promise;
  const canvas = document.getElementById("document-canvas");
  const label = document.getElementById("document-page");
  const previous = document.getElementById("document-previous");
  const next = document.getElementById("document-next");
  let finished = box.dataset.finished === "true";
  let page = Math.min(Math.max(1, parseInt(box.dataset.page || "1", 10)), pdf.numPages);
  let spentFrom = performance.now();
  let rendering = null;

  async function show(number) {
    page = number;
    if (rendering) rendering.cancel();
    const pdfPage = await pdf.getPage(number);
    const width = Math.min(box.clientWidth || 800, 1000);
    const viewport = pdfPage.getViewport({ scale: width / pdfPage.getViewport({ scale: 1 }).width });
    const ratio = window.devicePixelRatio || 1;
    canvas.width = Math.floor(viewport.width * ratio);
    canvas.height = Math.floor(viewport.height * ratio);
    canvas.style.width = `${Math.floor(viewport.width)}px`;
    rendering = pdfPage.render({
      canvas,
      canvasContext: canvas.getContext("2d"),
      viewport,
      transform: ratio !== 1 ? [ratio, 0, 0, ratio, 0, 0] : null,
    });
    label.textContent = `Page ${number} of ${pdf.numPages}`;
    canvas.setAttribute("aria-label", `Page ${number} of ${pdf.numPages} of the document`);
    previous.disabled = number <= 1;
    next.disabled = number >= pdf.numPages;
    try {
      await rendering.promise;
    } catch (error) {
      if (error && error.name === "RenderingCancelledException") return;
      throw error;
    }
    canvas.dataset.page = String(number);
    report(number);
  }

  function report(number) {
    if (finished) return;
    const now = performance.now();
    const seconds = Math.min(3600, Math.round((now - spentFrom) / 1000));
    spentFrom = now;
    fetch(box.dataset.progressUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": box.dataset.csrf },
      body: JSON.stringify({ page: number, pages: pdf.numPages, seconds }),
    })
      .then((response) => (response.ok ? response.json() : Promise.reject(response)))
      .then((data) => {
        if (data.status !== "completed") return;
        finished = true;
        const tag = document.querySelector("#attempt-status .tag");
        if (tag) { tag.textContent = "Completed"; tag.className = "tag status-completed"; }
        label.textContent = `Page ${page} of ${pdf.numPages}: you have read the whole document.`;
      })
      .catch(() => {});
  }

  previous.addEventListener("click", () => { if (page > 1) show(page - 1); });
  next.addEventListener("click", () => { if (page < pdf.numPages) show(page + 1); });
  await show(page);
}

if (box) {
  start().catch(() => {
    document.getElementById("document-error").hidden = false;
  });
}

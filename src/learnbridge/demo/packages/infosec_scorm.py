"""The demo's SCORM 2004 (4th edition) package "Information security essentials", written for this project
and built in code when the demo loads: one SCO of three short pages (phishing, passwords, reporting
incidents) and a three-question quiz. It reports its progress measure, score, success and completion, and
bookmarks the learner's page and answers (cmi.location, cmi.suspend_data) when they leave with "Save and
leave", so they resume where they stopped, on any device. Passing needs two answers of three right
(the manifest's minNormalizedMeasure 0.6, satisfied by measure)."""

from __future__ import annotations

import io
import zipfile

TITLE = "Information security essentials"
PASSING_SCORE = 0.6

MANIFEST = f"""<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="northwind-infosec-essentials" version="1"
  xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3"
  xmlns:adlseq="http://www.adlnet.org/xsd/adlseq_v1p3"
  xmlns:adlnav="http://www.adlnet.org/xsd/adlnav_v1p3"
  xmlns:imsss="http://www.imsglobal.org/xsd/imsss">
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>2004 4th Edition</schemaversion>
  </metadata>
  <organizations default="infosec">
    <organization identifier="infosec">
      <title>{TITLE}</title>
      <item identifier="essentials" identifierref="essentials-sco">
        <title>{TITLE}</title>
        <imsss:sequencing>
          <imsss:objectives>
            <imsss:primaryObjective objectiveID="infosec-essentials" satisfiedByMeasure="true">
              <imsss:minNormalizedMeasure>{PASSING_SCORE}</imsss:minNormalizedMeasure>
            </imsss:primaryObjective>
          </imsss:objectives>
        </imsss:sequencing>
      </item>
      <imsss:sequencing>
        <imsss:controlMode choice="true" flow="true"/>
      </imsss:sequencing>
    </organization>
  </organizations>
  <resources>
    <resource identifier="essentials-sco" type="webcontent" adlcp:scormType="sco" href="index.html">
      <file href="index.html"/>
      <file href="course.js"/>
      <file href="course.css"/>
    </resource>
  </resources>
</manifest>
"""

PAGES = """
<section data-page="0">
  <h2>1. Spotting phishing</h2>
  <p>Phishing is an e-mail, text or call that pretends to come from someone you trust so that you give away
  a password, open an attachment or pay a false invoice. Most attacks on Northwind start this way.</p>
  <ul>
    <li><strong>Pressure.</strong> "Your account will be closed today" or "the director needs this now" is
    meant to stop you thinking.</li>
    <li><strong>The sender.</strong> Look at the address, not the name: <em>it-support@northwlnd.example</em>
    is not Northwind.</li>
    <li><strong>Links.</strong> Hover before you click. A sign-in page reached from an e-mail is suspect;
    open the intranet from your bookmarks instead.</li>
    <li><strong>Attachments.</strong> Invoices and delivery notes you did not expect, especially zip or
    macro files, stay closed.</li>
  </ul>
  <p>Not sure? Use the <em>Report phishing</em> button in your mail. Reporting a genuine message costs
  nothing; missing a real attack can cost a lot.</p>
</section>
<section data-page="1" hidden>
  <h2>2. Passwords and sign-in</h2>
  <p>A long password is harder to guess than a complicated short one. Use a passphrase of three or four
  random words, and a different one for every account: when one site leaks, the others stay safe.</p>
  <ul>
    <li>Let the company password manager remember them for you.</li>
    <li>Turn on the second step (the authenticator app) wherever it is offered.</li>
    <li>Never share a password, not even with the service desk: they will never ask for it.</li>
    <li>Lock your screen (Windows key + L) whenever you leave your desk or the scanner station.</li>
  </ul>
</section>
<section data-page="2" hidden>
  <h2>3. Reporting an incident</h2>
  <p>An incident is anything that might put our information at risk: a lost phone or handheld scanner, a
  password typed into the wrong page, a parcel label printed for the wrong customer, a stranger in the
  warehouse office.</p>
  <ol>
    <li>Report it straight away to the service desk (extension 4000, or security@northwind.example).</li>
    <li>Say what happened, when, and what information could be involved.</li>
    <li>Do not try to investigate or clean up yourself, and do not delete the evidence.</li>
  </ol>
  <p>Reporting quickly is what limits the harm. Nobody is blamed for reporting a mistake early.</p>
</section>
<section data-page="3" hidden>
  <h2>Check your understanding</h2>
  <form id="quiz">
    <fieldset>
      <legend>An e-mail from "IT Support" asks you to confirm your password through a link.
      What do you do?</legend>
      <label><input type="radio" name="q1" value="a"> Click the link and confirm it quickly</label>
      <label><input type="radio" name="q1" value="b"> Report it with the Report phishing button</label>
      <label><input type="radio" name="q1" value="c"> Reply to ask whether it is genuine</label>
    </fieldset>
    <fieldset>
      <legend>Which of these is the strongest password?</legend>
      <label><input type="radio" name="q2" value="a"> Northwind2026!</label>
      <label><input type="radio" name="q2" value="b"> Four random words, used only for this account</label>
      <label><input type="radio" name="q2" value="c"> Your pet's name and your birth year</label>
    </fieldset>
    <fieldset>
      <legend>You typed your password into a page you reached from a suspicious e-mail. What now?</legend>
      <label><input type="radio" name="q3" value="a"> Nothing, as long as nothing seems wrong</label>
      <label><input type="radio" name="q3" value="b"> Report it to the service desk at once and change
      the password</label>
      <label><input type="radio" name="q3" value="c"> Wait and see whether it happens again</label>
    </fieldset>
    <button type="submit" id="submit-quiz">Submit answers</button>
  </form>
</section>
<section data-page="4" hidden>
  <h2>Your result</h2>
  <p id="result" role="status"></p>
  <p><button type="button" id="retry" hidden>Try the quiz again</button>
  <button type="button" id="finish">Finish</button></p>
</section>
"""

INDEX = f"""<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{TITLE}</title><link rel="stylesheet" href="course.css"></head>
<body>
<header><h1>{TITLE}</h1><p id="progress" aria-live="polite"></p></header>
<main>{PAGES}</main>
<nav id="pager" aria-label="Pages" hidden>
  <button type="button" id="back">Back</button>
  <button type="button" id="next">Next</button>
  <button type="button" id="save">Save and leave</button>
</nav>
<p id="saved" role="status" hidden>Your place is saved. You can close this page and carry on later.</p>
<script src="course.js"></script>
</body>
</html>
"""

CSS = """body { font-family: system-ui, sans-serif; line-height: 1.5; max-width: 46rem; margin: 1rem auto;
  padding: 0 1rem; color: #1d2733; }
h1 { font-size: 1.4rem; } h2 { font-size: 1.2rem; }
fieldset { border: 1px solid #c8d1dc; margin: 0 0 1rem; padding: 0.5rem 1rem; }
label { display: block; margin: 0.25rem 0; }
button { font: inherit; padding: 0.4rem 1rem; margin-right: 0.5rem; cursor: pointer; }
#pager { margin-top: 1.5rem; }
"""

# The answers are in the SCO (it scores itself, as SCORM content does); the LMS judges passed or failed
# again from the scaled score and the manifest's passing score.
SCRIPT = """(function () {
  "use strict";
  var ANSWERS = { q1: "b", q2: "b", q3: "b" };
  var PAGES = 5, QUIZ = 3, RESULT = 4;
  function findApi(win) {
    for (var tries = 0; win && tries < 10; tries += 1) {
      if (win.API_1484_11) return win.API_1484_11;
      if (win.parent === win) break;
      win = win.parent;
    }
    return null;
  }
  var api = findApi(window) || (window.opener ? findApi(window.opener) : null);
  var state = { page: 0, seen: [0], answers: {}, score: null };
  var done = false;
  function call(name, a, b) { return api ? String(api[name](a, b)) : ""; }
  function show(page) {
    state.page = page;
    if (state.seen.indexOf(page) < 0 && page < RESULT) state.seen.push(page);
    var sections = document.querySelectorAll("[data-page]");
    for (var i = 0; i < sections.length; i += 1) {
      sections[i].hidden = Number(sections[i].dataset.page) !== page;
    }
    document.getElementById("back").disabled = page === 0 || page === RESULT;
    document.getElementById("next").hidden = page >= QUIZ;
    document.getElementById("progress").textContent = page < RESULT ? "Page " + (page + 1) + " of 4" : "";
    call("SetValue", "cmi.location", String(page));
    call("SetValue", "cmi.progress_measure", String(Math.min(state.seen.length, 4) / 4));
    save();
    window.scrollTo(0, 0);
  }
  function save() {
    call("SetValue", "cmi.suspend_data", JSON.stringify(state));
    call("Commit", "");
  }
  function restoreAnswers() {
    Object.keys(state.answers).forEach(function (name) {
      var input = document.querySelector("input[name=" + name + "][value=" + state.answers[name] + "]");
      if (input) input.checked = true;
    });
  }
  function record(index, name, given) {
    var prefix = "cmi.interactions." + index + ".";
    call("SetValue", prefix + "id", "infosec-" + name);
    call("SetValue", prefix + "type", "choice");
    call("SetValue", prefix + "correct_responses.0.pattern", ANSWERS[name]);
    call("SetValue", prefix + "learner_response", given || "");
    call("SetValue", prefix + "result", given === ANSWERS[name] ? "correct" : "incorrect");
  }
  function passing() {
    var value = parseFloat(call("GetValue", "cmi.scaled_passing_score"));
    return isNaN(value) ? 0.6 : value;
  }
  function submit(event) {
    event.preventDefault();
    var right = 0, missing = false;
    Object.keys(ANSWERS).forEach(function (name, index) {
      var chosen = document.querySelector("input[name=" + name + "]:checked");
      state.answers[name] = chosen ? chosen.value : "";
      if (!chosen) missing = true;
      if (chosen && chosen.value === ANSWERS[name]) right += 1;
      record(index, name, state.answers[name]);
    });
    if (missing) {
      document.getElementById("progress").textContent = "Answer every question first.";
      return;
    }
    var scaled = right / QUIZ;
    var passed = scaled >= passing();
    state.score = scaled;
    call("SetValue", "cmi.score.min", "0");
    call("SetValue", "cmi.score.max", String(QUIZ));
    call("SetValue", "cmi.score.raw", String(right));
    call("SetValue", "cmi.score.scaled", scaled.toFixed(4));
    call("SetValue", "cmi.success_status", passed ? "passed" : "failed");
    call("SetValue", "cmi.completion_status", passed ? "completed" : "incomplete");
    document.getElementById("result").textContent = "You answered " + right + " of " + QUIZ + " correctly. " +
      (passed ? "You passed: press Finish to record it."
        : "You need 2 of 3 to pass. Read the pages again and retry.");
    document.getElementById("retry").hidden = passed;
    show(RESULT);
  }
  function finish() {
    if (done) return;
    done = true;
    call("SetValue", "cmi.exit", state.score !== null && state.score >= passing() ? "normal" : "suspend");
    call("Terminate", "");
    document.getElementById("saved").hidden = false;
    document.getElementById("saved").textContent = "Finished: your result is recorded.";
    document.querySelector("main").hidden = true;
    document.getElementById("pager").hidden = true;
  }
  function leave() {
    if (done) return;
    done = true;
    save();
    call("SetValue", "cmi.exit", "suspend");
    call("SetValue", "adl.nav.request", "suspendAll");
    call("Terminate", "");
    document.querySelector("main").hidden = true;
    document.getElementById("pager").hidden = true;
    document.getElementById("saved").hidden = false;
  }
  call("Initialize", "");
  if (call("GetValue", "cmi.entry") === "resume") {
    try { state = JSON.parse(call("GetValue", "cmi.suspend_data")) || state; } catch (e) { /* start again */ }
    restoreAnswers();
  }
  if (call("GetValue", "cmi.completion_status") === "unknown") {
    call("SetValue", "cmi.completion_status", "incomplete");
  }
  document.getElementById("back").addEventListener("click", function () {
    show(Math.max(state.page - 1, 0));
  });
  document.getElementById("next").addEventListener("click", function () {
    show(Math.min(state.page + 1, QUIZ));
  });
  document.getElementById("save").addEventListener("click", leave);
  document.getElementById("quiz").addEventListener("submit", submit);
  document.getElementById("retry").addEventListener("click", function () { show(QUIZ); });
  document.getElementById("finish").addEventListener("click", finish);
  show(Math.min(Number(state.page) || 0, RESULT));
  document.getElementById("pager").hidden = false;
}());
"""


def build_infosec_package() -> bytes:
    """The package's zip, built fresh (the same bytes each time but for the zip's timestamps)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in (
            ("imsmanifest.xml", MANIFEST),
            ("index.html", INDEX),
            ("course.js", SCRIPT),
            ("course.css", CSS),
        ):
            archive.writestr(name, text.encode())
    return buffer.getvalue()

"""Fire Safety Awareness as a cmi5 course (cmi5 14.1: cmi5.xml at the root of a zip), written for the
demo: two AUs, each a small web page whose script uses the @xapi/cmi5 library's Cmi5 class
(initialize, complete, pass or fail with the score, terminate).

1. "The fire triangle and extinguishers": reading and a three-question check; moveOn
   CompletedAndPassed with a masteryScore of 0.66 (two of three right).
2. "Evacuation and assembly points": reading; moveOn Completed.

The pages load the library from the app's own copy (`/static/vendor/xapi-cmi5/cmi5.umd.js`, installed by
`make assets`): the content frame is on the same site."""

from __future__ import annotations

import io
import zipfile

LIBRARY = "/static/vendor/xapi-cmi5/cmi5.umd.js"
COURSE_ID = "https://learnbridge.example/courses/fire-safety-awareness"

COURSE_XML = f"""<?xml version="1.0" encoding="utf-8"?>
<courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd">
  <course id="{COURSE_ID}">
    <title><langstring lang="en-GB">Fire Safety Awareness</langstring></title>
    <description><langstring lang="en-GB">How fires start and are put out, and how to leave a building
      safely when the alarm sounds.</langstring></description>
  </course>
  <au id="{COURSE_ID}/au/fire-triangle" moveOn="CompletedAndPassed" masteryScore="0.66"
      launchMethod="AnyWindow" activityType="http://adlnet.gov/expapi/activities/lesson">
    <title><langstring lang="en-GB">The fire triangle and extinguishers</langstring></title>
    <description><langstring lang="en-GB">What a fire needs, and which extinguisher puts out which
      fire. Ends with a three-question check.</langstring></description>
    <url>triangle/index.html</url>
  </au>
  <au id="{COURSE_ID}/au/evacuation" moveOn="Completed" launchMethod="AnyWindow"
      activityType="http://adlnet.gov/expapi/activities/lesson">
    <title><langstring lang="en-GB">Evacuation and assembly points</langstring></title>
    <description><langstring lang="en-GB">What to do from the moment the alarm sounds until the fire
      warden says you may go back in.</langstring></description>
    <url>evacuation/index.html</url>
  </au>
</courseStructure>
"""


def _page(title: str, body: str) -> str:
    return f"""<!doctype html>
<html lang="en-GB">
<head>
  <meta charset="utf-8">
  <title>{title}</title>
  <link rel="stylesheet" href="../au.css">
  <script src="{LIBRARY}" defer></script>
  <script src="../au.js" defer></script>
</head>
<body>
<main>
  <h1>{title}</h1>
  <p id="au-status" role="status" aria-live="polite">Connecting to your learning record…</p>
{body}
</main>
</body>
</html>
"""


TRIANGLE = _page(
    "The fire triangle and extinguishers",
    """  <h2>The fire triangle</h2>
  <p>A fire needs three things at once: <strong>heat</strong>, <strong>fuel</strong> and
  <strong>oxygen</strong>. Take any one away and the fire goes out. Cooling with water removes heat;
  a fire blanket or CO<sub>2</sub> keeps oxygen away; closing a gas valve removes the fuel.</p>
  <h2>Which extinguisher?</h2>
  <ul>
    <li><strong>Water</strong> (red label): paper, wood, cardboard and textiles. Never on electrical
    equipment or burning liquids.</li>
    <li><strong>Foam</strong> (cream label): the same solids, and flammable liquids such as diesel.</li>
    <li><strong>CO<sub>2</sub></strong> (black label): electrical equipment, such as a charging forklift
    battery or a server cabinet. It leaves no residue.</li>
    <li><strong>Dry powder</strong> (blue label): solids, liquids and gases; outdoors, as it clouds the
    air indoors.</li>
    <li><strong>Wet chemical</strong> (yellow label): cooking oil and fat fires in the canteen.</li>
  </ul>
  <p>Only tackle a fire if you have been trained, it is small, and your way out is behind you.</p>
  <form id="au-check" data-mastery>
    <fieldset>
      <legend>1. A pallet of cardboard is burning. Which extinguisher?</legend>
      <label><input type="radio" name="q1" value="right"> Water</label>
      <label><input type="radio" name="q1" value="wrong"> Wet chemical</label>
    </fieldset>
    <fieldset>
      <legend>2. A forklift battery charger is on fire. Which extinguisher?</legend>
      <label><input type="radio" name="q2" value="wrong"> Water</label>
      <label><input type="radio" name="q2" value="right"> CO2</label>
    </fieldset>
    <fieldset>
      <legend>3. Which of these is NOT part of the fire triangle?</legend>
      <label><input type="radio" name="q3" value="wrong"> Oxygen</label>
      <label><input type="radio" name="q3" value="right"> Smoke</label>
    </fieldset>
    <button type="submit">Check my answers</button>
  </form>
""",
)

EVACUATION = _page(
    "Evacuation and assembly points",
    """  <h2>When the alarm sounds</h2>
  <ol>
    <li>Stop work and make machinery safe: lower forks, switch off the truck, leave the key.</li>
    <li>Leave by the nearest marked fire exit. Do not use lifts, and do not go back for belongings.</li>
    <li>Close doors behind you if you can: a closed door slows smoke and fire.</li>
    <li>Help visitors and anyone who needs it; tell the fire warden about anyone who could not leave.</li>
  </ol>
  <h2>At the assembly point</h2>
  <p>Go to your site's assembly point (at Northwind warehouses, the signed area at the far end of the
  car park, away from the loading bays) and report to the fire warden so that the roll call is
  right. Stay until the warden or the fire service says you may go back in; never re-enter on your
  own.</p>
  <form id="au-check">
    <button type="submit">I have read this</button>
  </form>
""",
)

STYLE = """body { font-family: system-ui, sans-serif; line-height: 1.5; margin: 1.5rem; color: #1b1b1b; }
main { max-width: 46rem; }
fieldset { margin: 0 0 1rem; border: 1px solid #999; }
label { display: block; }
button { font: inherit; padding: 0.4rem 1rem; }
#au-status { font-weight: bold; }
"""

# One script for both AUs: initialize with the LMS (fetch token, launch data), and on the form's
# submission report the outcome and terminate. The check's AU passes or fails on the masteryScore the
# LMS sent (cmi5 10.0); the reading AU only completes.
SCRIPT = """(() => {
  const status = document.getElementById("au-status");
  const form = document.getElementById("au-check");
  const say = (text) => { status.textContent = text; };
  let cmi5 = null;

  async function start() {
    if (!window.Cmi5 || !Cmi5.isCmiAvailable) {
      say("This lesson must be opened from Learnbridge to record your progress.");
      return;
    }
    cmi5 = Cmi5.instance;
    await cmi5.initialize();
    const mode = cmi5.getLaunchData().launchMode;
    say(mode === "Normal" ? "Your progress is being recorded." : "Review mode: nothing is recorded.");
  }

  function score() {
    const questions = form.querySelectorAll("fieldset");
    const right = form.querySelectorAll('input[value="right"]:checked').length;
    return questions.length ? right / questions.length : null;
  }

  async function finish(event) {
    event.preventDefault();
    if (!cmi5) return;
    form.querySelector("button").disabled = true;
    try {
      if (cmi5.getLaunchData().launchMode === "Normal") {
        await cmi5.complete();
        if (form.hasAttribute("data-mastery")) {
          const scaled = Math.round(score() * 100) / 100;
          const mastery = cmi5.getLaunchData().masteryScore;
          if (mastery === undefined || scaled >= mastery) {
            await cmi5.pass(scaled);
            say(`Passed with ${Math.round(scaled * 100)}%. You can close this lesson.`);
          } else {
            await cmi5.fail(scaled);
            say(`${Math.round(scaled * 100)}%: not enough to pass. Open the lesson again to retry.`);
          }
        } else {
          say("Completed. You can close this lesson.");
        }
      }
      await cmi5.terminate();
    } catch (error) {
      say(`Your progress could not be recorded: ${error.message}`);
    }
  }

  form.addEventListener("submit", finish);
  start().catch((error) => say(`Could not connect to your learning record: ${error.message}`));
})();
"""


def course_zip() -> bytes:
    """The course package: cmi5.xml, the two AUs' pages, their script and style."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("cmi5.xml", COURSE_XML)
        archive.writestr("triangle/index.html", TRIANGLE)
        archive.writestr("evacuation/index.html", EVACUATION)
        archive.writestr("au.js", SCRIPT)
        archive.writestr("au.css", STYLE)
    return buffer.getvalue()

"""axe-core in the browser tests: the accessibility violations of the page as it is now.

axe-core is vendored for the tests (waiban/testing/vendor/axe-core, see VERSION): the tests run
offline like the app."""

from pathlib import Path

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
SERIOUS = {"serious", "critical"}


def axe_violations(page, *, impacts=SERIOUS) -> list[str]:
    """Rule id, impact and the first offending element of each violation of WCAG 2 A/AA."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21aa']});
            return r.violations.map(v => ({id: v.id, impact: v.impact,
                target: v.nodes.map(n => n.target.join(' ')).slice(0, 3)}));
        }"""
    )
    return [f"{v['id']} ({v['impact']}): {v['target']}" for v in result if v["impact"] in impacts]

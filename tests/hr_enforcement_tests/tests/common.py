"""Tours run as the demo users with exactly the groups their demo records give them: a user
with extra rights would hide what a real officer cannot do."""

import re
from unittest.mock import patch

from lxml import etree

from odoo.modules.module import get_resource_path
from odoo.tests import HttpCase
from odoo.tests.common import ChromeBrowser

DEMO_FILE = ("hr_enforcement_record", "demo", "hr_enforcement_demo.xml")


def demo_user_groups():
    """{login: xml ids of the groups its demo record adds}, read from the demo file itself."""
    tree = etree.parse(get_resource_path(*DEMO_FILE))
    users = {}
    for record in tree.iterfind(".//record[@model='res.users']"):
        login = record.findtext("field[@name='login']")
        groups = record.find("field[@name='groups_id']")
        written = groups.get("eval", "") if groups is not None else ""
        refs = re.findall(r"ref\('([\w.]+)'\)", written)
        users[login] = [ref if "." in ref else f"hr_enforcement_record.{ref}" for ref in refs]
    return users


class DemoUserTourCase(HttpCase):
    """start_tour() refuses a login that is not a demo user or that has a group its demo
    record does not give (through implied groups and Odoo's defaults for new users)."""

    def _expected_groups(self, login):
        demo = demo_user_groups()
        self.assertIn(login, demo, f"{login} is not a demo user: tours run as demo users")
        # a user made now the way the demo made this one: Odoo's defaults plus the demo's
        Users = self.env["res.users"]
        probe = Users.search([("login", "=", f"probe-{login}")]) or Users.create(
            {
                "name": f"probe {login}",
                "login": f"probe-{login}",
                "groups_id": [(4, self.env.ref(xmlid).id) for xmlid in demo[login]],
            }
        )
        return probe.groups_id

    def assert_demo_groups(self, login):
        user = self.env["res.users"].search([("login", "=", login)])
        extra = user.groups_id - self._expected_groups(login)
        self.assertFalse(
            extra,
            f"{login} has groups its demo user lacks: {', '.join(extra.mapped('full_name'))}",
        )

    def _reviewed_and_approved_in_tours(self, request):
        """The handling unit's reviewer, then the approver, decide `request` from their
        activities in the web client (R21.1)."""
        self.start_tour("/odoo", "hr_enforcement_reviewer_day_tour", login="wangqiang")
        self.assertEqual(request.state, "reviewed")
        self.start_tour("/odoo", "hr_enforcement_approver_day_tour", login="liuyang")
        self.assertEqual(request.state, "approved")

    def start_tour(self, url_path, tour_name, step_delay=None, **kwargs):
        if kwargs.get("login"):
            self.assert_demo_groups(kwargs["login"])
        return super().start_tour(url_path, tour_name, step_delay=step_delay, **kwargs)

    def browser_js(self, url_path, code, ready="", login=None, **kwargs):
        """The browser runs on its user's clock (the demo users': Asia/Shanghai), as their
        desks do: headless Chrome on a UTC machine would see another day than its user
        between 16:00 and 24:00 UTC, and "today" would not be the bureau's today."""
        user = self.env["res.users"].search([("login", "=", login)]) if login else None
        if not (user and user.tz):
            return super().browser_js(url_path, code, ready=ready, login=login, **kwargs)
        navigate_to = ChromeBrowser.navigate_to

        def navigate_on_users_clock(browser, url, wait_stop=False):
            browser._websocket_request(
                "Emulation.setTimezoneOverride", params={"timezoneId": user.tz}
            )
            return navigate_to(browser, url, wait_stop=wait_stop)

        with patch.object(ChromeBrowser, "navigate_to", navigate_on_users_clock):
            return super().browser_js(url_path, code, ready=ready, login=login, **kwargs)

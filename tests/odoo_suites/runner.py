"""odoo-bin, except that the post-install phase also runs the selected modules' at_install
tests: Odoo's own suites then run with every module of the database loaded, ours included
(at install time they would run before the modules that override their models load).

Usage: ODOO_SRC=<odoo tree> python runner.py <odoo-bin options> (no sub-command)
"""

import os
import sys

os.environ["TZ"] = "UTC"  # as odoo-bin sets it
sys.path.insert(0, os.environ["ODOO_SRC"])  # the tree the set-up found

import odoo
from odoo.tests import loader

_make_suite = loader.make_suite


def make_suite_after_loading(module_names, position="at_install"):
    if position != "post_install":
        return _make_suite(module_names, position)
    tests = list(_make_suite(module_names, "at_install")) + list(
        _make_suite(module_names, "post_install")
    )
    return loader.OdooSuite(sorted(tests, key=lambda t: t.test_sequence))


loader.make_suite = make_suite_after_loading

if __name__ == "__main__":
    sys.argv = [sys.argv[0], "server", *sys.argv[1:]]
    odoo.cli.main()

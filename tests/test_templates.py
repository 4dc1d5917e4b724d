"""Templates stay readable: short lines, one control-flow tag a line.

Every file under the project's template folders (settings.TEMPLATES' DIRS and
the templates/ folder of each of the project's own apps) is read line by line.
"""

import re
import sys
from pathlib import Path

from django.apps import apps
from django.conf import settings

MAX_LINE = 120

# The tags that open, divide or close a control-flow block. A line may hold
# one of them: two on a line ({% if a %}x{% endif %}) is the packed style
# these files are kept free of.
CONTROL_FLOW_TAG = re.compile(r"{%\s*(?:if|elif|else|endif|for|empty|endfor|with|endwith)\b")


def template_dirs():
    dirs = [Path(d) for engine in settings.TEMPLATES for d in engine["DIRS"]]
    for app in apps.get_app_configs():
        path = Path(app.path)
        # The project's apps, not Django's or those installed in the virtualenv.
        if path.is_relative_to(settings.BASE_DIR) and not path.is_relative_to(sys.prefix):
            dirs.append(path / "templates")
    return [d for d in dirs if d.is_dir()]


def template_lines():
    """(where, line) for every line of every template: where is “path:number”."""
    for folder in template_dirs():
        for path in sorted(folder.rglob("*")):
            if not path.is_file():
                continue
            name = path.relative_to(settings.BASE_DIR)
            for number, line in enumerate(path.read_text().splitlines(), start=1):
                yield f"{name}:{number}", line


def test_the_check_reads_the_site_and_admin_templates():
    checked = {where.rsplit(":", 1)[0] for where, _ in template_lines()}
    assert "templates/base.html" in checked
    assert "templates/admin/articles/article/revisions.html" in checked


def test_no_template_line_is_longer_than_120_characters():
    too_long = [
        f"{where} ({len(line)})" for where, line in template_lines() if len(line) > MAX_LINE
    ]
    assert not too_long, "Lines over 120 characters:\n" + "\n".join(too_long)


def test_no_template_line_holds_two_control_flow_tags():
    packed = [where for where, line in template_lines() if len(CONTROL_FLOW_TAG.findall(line)) > 1]
    assert not packed, "Lines with two control-flow tags:\n" + "\n".join(packed)

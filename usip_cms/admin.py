"""The admin site, with a Content Security Policy loosened for styles only.

The rich-text editor positions its menus with inline styles, which the public
site's policy (style-src 'self') blocks. Scripts stay as strict as on the
public pages.
"""

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.utils.csp import CSP
from django.views.decorators.csp import csp_override


class CMSAdminSite(admin.AdminSite):
    site_header = "USIP CMS"
    site_title = "USIP CMS"
    index_title = "Write, tag and publish"

    def admin_view(self, view, cacheable=False):
        policy = {**settings.SECURE_CSP, "style-src": [CSP.SELF, CSP.UNSAFE_INLINE]}
        return csp_override(policy)(super().admin_view(view, cacheable))


class CMSAdminConfig(AdminConfig):
    default_site = "usip_cms.admin.CMSAdminSite"

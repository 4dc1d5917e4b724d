# Varnish in front of usip_cms: the production shape (README "Front cache").
#
# Public pages are cached for as long as the app's Surrogate-Control says and
# dropped the moment the app purges one of their surrogate keys (the xkey
# header); staff (a session cookie) and the admin always go to the app. When
# the app or its database fails, the last good copy is served for up to a day.
#
# Needs Debian's varnish and varnish-modules (for xkey). The backend below is
# the app server; deploy/varnish.vcl is used as it is by `make serve
# FRONT_CACHE=varnish` and the tests, which only change the backend's port.
vcl 4.1;

import std;
import xkey;

backend app {
    .host = "127.0.0.1";
    .port = "8000";
    .connect_timeout = 2s;
    .first_byte_timeout = 30s;
    # The probe asks a view that reads the database, so a database outage
    # makes the backend sick and readers get the last good copies at once.
    .probe = {
        .request = "GET /healthz HTTP/1.1" "Host: localhost" "Connection: close";
        .interval = 1s;
        .timeout = 1s;
        .window = 3;
        .threshold = 2;
    }
}

# Who may purge: the app servers. Keep this list to their addresses.
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        if (!req.http.xkey-purge) {
            return (synth(400, "Say which keys to purge in xkey-purge"));
        }
        set req.http.n-gone = xkey.purge(req.http.xkey-purge);
        return (synth(200, "Invalidated " + req.http.n-gone + " objects"));
    }
    if (req.restarts == 0) {
        unset req.http.x-stale-if-error;  # set by vcl_synth below, never by a client
        unset req.http.x-plain;
        if (req.http.Accept-Encoding !~ "gzip") {
            set req.http.x-plain = "1";
        }
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # Staff and the admin see their own pages, never a shared copy.
    if (req.url ~ "^/admin(/|$)" || req.http.Cookie ~ "(^|;\s*)sessionid=") {
        return (pass);
    }
    # Public pages are the same for every reader: no cookie makes them differ.
    unset req.http.Cookie;
    # Only expired copies are served while the app is healthy; a sick app (or
    # a retry after the app failed, below) gets the last good copy instead.
    if (std.healthy(req.backend_hint) && !req.http.x-stale-if-error) {
        set req.grace = 10s;
    } else {
        set req.grace = 24h;
    }
    return (hash);
}

sub vcl_hash {
    # A reader that does not take gzip (a feed reader, a script) gets a plain
    # copy of its own, made once, not the gzipped copy unzipped on every
    # request. Both copies carry the page's keys: a purge drops both.
    if (req.http.x-plain) {
        hash_data("plain");
    }
}

sub vcl_backend_fetch {
    if (bereq.http.x-plain) {
        unset bereq.http.Accept-Encoding;
    }
}

sub vcl_backend_response {
    # Never keep an error in place of a good copy.
    if (beresp.status >= 500) {
        return (abandon);
    }
    # The app says what a shared cache may keep; without it, nothing is kept.
    if (beresp.http.Surrogate-Control ~ "max-age=\d+" && !beresp.http.Set-Cookie) {
        set beresp.ttl = std.duration(
            regsub(beresp.http.Surrogate-Control, ".*max-age=(\d+).*", "\1s"), 0s);
        set beresp.grace = 24h;
        unset beresp.http.Surrogate-Control;
    } else {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
    if (!bereq.http.x-plain
        && beresp.http.Content-Type ~ "^(text/|application/(json|xml|rss\+xml|atom\+xml|feed\+json))") {
        set beresp.do_gzip = true;
    }
    return (deliver);
}

sub vcl_backend_error {
    # The app did not answer: let vcl_synth look for a stale copy.
    return (abandon);
}

sub vcl_synth {
    # The app failed (abandoned fetch): try once more, taking a stale copy.
    if (resp.status == 503 && req.restarts == 0 && req.method != "PURGE") {
        set req.http.x-stale-if-error = "1";
        return (restart);
    }
}

sub vcl_deliver {
    # The keys are for this cache only.
    unset resp.http.xkey;
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
    unset resp.http.Via;
    unset resp.http.X-Varnish;
}

/* hail-msrp-uri.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* RFC 4975 §6: the port an MSRP URI means when it names none. */
#define HAIL_MSRP_DEFAULT_PORT 2855

#define HAIL_TYPE_MSRP_URI (hail_msrp_uri_get_type ())

/* An MSRP URI (RFC 4975 §6, §9): msrp[s]://[user@]host[:port]/session-id;
 * transport[;params]. A refcounted immutable value. */
typedef struct _HailMsrpUri HailMsrpUri;

GType        hail_msrp_uri_get_type       (void) G_GNUC_CONST;

/* Parses @len bytes of @str (-1: NUL-terminated); HAIL_SIP_ERROR_MALFORMED
 * or TOO_LARGE on failure. */
HailMsrpUri *hail_msrp_uri_parse          (const char   *str,
                                           gssize        len,
                                           GError      **error) G_GNUC_WARN_UNUSED_RESULT;
/* A URI for our end of a session: @host is a name or an IP literal (IPv6
 * without brackets), @port non-zero, @session_id of unreserved characters. */
HailMsrpUri *hail_msrp_uri_new            (gboolean      secure,
                                           const char   *host,
                                           guint         port,
                                           const char   *session_id) G_GNUC_WARN_UNUSED_RESULT;
HailMsrpUri *hail_msrp_uri_ref            (HailMsrpUri  *self);
void         hail_msrp_uri_unref          (HailMsrpUri  *self);

/* TRUE for msrps: (TLS). */
gboolean     hail_msrp_uri_is_secure      (const HailMsrpUri *self);
/* Without the brackets of an IPv6 reference. */
const char  *hail_msrp_uri_get_host       (const HailMsrpUri *self);
/* The port written, or HAIL_MSRP_DEFAULT_PORT when none. */
guint        hail_msrp_uri_get_port       (const HailMsrpUri *self);
/* NULL when the URI has none (only relays use such URIs). */
const char  *hail_msrp_uri_get_session_id (const HailMsrpUri *self);
/* "tcp" and so on, as written. */
const char  *hail_msrp_uri_get_transport  (const HailMsrpUri *self);
const char  *hail_msrp_uri_to_string      (const HailMsrpUri *self);

/* RFC 4975 §6.1: scheme, host and transport case-insensitively, the port
 * with its default, and the session-id exactly; user info is ignored. */
gboolean     hail_msrp_uri_equal          (const HailMsrpUri *a,
                                           const HailMsrpUri *b);

/* Fresh session-id of 120 random bits from the CSPRNG, in base64url, which
 * the session-id grammar allows. NULL with an error when the CSPRNG fails. */
char        *hail_msrp_uri_new_session_id (GError      **error) G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HailMsrpUri, hail_msrp_uri_unref)

G_END_DECLS

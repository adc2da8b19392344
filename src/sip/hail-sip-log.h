/* hail-sip-log.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The one way SIP messages reach a log: credentials are redacted and
 * control bytes escaped first.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Bytes of a message shown in a log; the rest is only counted. */
#define HAIL_SIP_LOG_MAX_LEN 65536

/* Returns a printable copy of the raw message @msg (@len bytes, possibly a
 * binary body) in which every Authorization and Proxy-Authorization header
 * keeps only its scheme, username, realm and uri; control bytes and invalid
 * UTF-8 are written as \xNN; at most HAIL_SIP_LOG_MAX_LEN bytes are shown. */
char *hail_sip_log_redact  (const char *msg,
                            gsize       len) G_GNUC_WARN_UNUSED_RESULT;

/* Logs @msg, redacted, with g_debug in the hail-sip domain, when that is
 * enabled (G_MESSAGES_DEBUG=hail-sip). */
void  hail_sip_log_message (gboolean    outgoing,
                            const char *transport,
                            const char *peer,
                            const char *msg,
                            gsize       len);

G_END_DECLS

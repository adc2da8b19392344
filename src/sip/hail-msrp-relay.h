/* hail-msrp-relay.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The client side of MSRP relays (RFC 4976) as values: the relay URI an
 * account names, the AUTH request, what a relay answers (challenges, then
 * Use-Path and Expires), and paths put together from hops. The exchange
 * itself runs in HailMsrpSession (hail-msrp-session-relay.c).
 */
#pragma once

#include <glib.h>

#include "hail-msrp-message.h"
#include "hail-msrp-uri.h"

G_BEGIN_DECLS

/* WWW-Authenticate header fields taken from one 401. */
#define HAIL_MSRP_RELAY_MAX_CHALLENGES 8

/* An account's relay: msrps://host[:port][/session-id];tcp (RFC 4976 §5:
 * AUTH goes over TLS only). HAIL_SIP_ERROR_MALFORMED or UNSUPPORTED with
 * a message that quotes @uri. */
HailMsrpUri *hail_msrp_relay_parse_uri      (const char       *uri,
                                             GError          **error)
                                             G_GNUC_WARN_UNUSED_RESULT;

/* An AUTH request (RFC 4976 §5.1): To-Path @relay, From-Path @local,
 * one header per element of @authorization (HailSipAuthHeader*, may be
 * NULL) and Expires @expires when not 0. @transaction_id gets the new
 * transaction's id. */
GBytes      *hail_msrp_relay_build_auth     (HailMsrpUri      *relay,
                                             HailMsrpUri      *local,
                                             GPtrArray        *authorization,
                                             guint             expires,
                                             char            **transaction_id)
                                             G_GNUC_WARN_UNUSED_RESULT;

/* The WWW-Authenticate values of a 401 to AUTH, NULL-terminated; fails
 * when it has none or more than HAIL_MSRP_RELAY_MAX_CHALLENGES. */
char       **hail_msrp_relay_dup_challenges (const HailMsrpMessage *response,
                                             GError               **error)
                                             G_GNUC_WARN_UNUSED_RESULT;

/* The Use-Path of a 200 to AUTH (a new array of HailMsrpUri*), checked:
 * every hop over TCP with a session-id, the first one TLS (the relay we
 * authenticated to), and @expires from its Expires, which must be there
 * and not 0. */
GPtrArray   *hail_msrp_relay_read_grant     (const HailMsrpMessage *response,
                                             guint                 *expires,
                                             GError               **error)
                                             G_GNUC_WARN_UNUSED_RESULT;

/* A peer's a=path (leftmost first) as a new array of HailMsrpUri*: 1 to
 * HAIL_MSRP_MAX_PATH_URIS hops, every one over TCP, the last (the peer
 * itself) with a session-id. */
GPtrArray   *hail_msrp_path_parse           (const char * const  *path,
                                             GError             **error)
                                             G_GNUC_WARN_UNUSED_RESULT;

/* A new array holding the hops of @first (may be NULL) then of @second. */
GPtrArray   *hail_msrp_path_concat          (GPtrArray        *first,
                                             GPtrArray        *second)
                                             G_GNUC_WARN_UNUSED_RESULT;

/* The hops separated by single spaces, as a=path and To-Path write them. */
char        *hail_msrp_path_to_string       (GPtrArray        *path)
                                             G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS

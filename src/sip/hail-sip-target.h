/* hail-sip-target.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "hail-sip-transport-types.h"

G_BEGIN_DECLS

/**
 * HailSipTarget:
 * @kind: the transport to use
 * @address: where to send
 * @server_name: (nullable): the name a TLS certificate must carry; %NULL
 *   checks it against @address
 *
 * One place a request can go, as RFC 3263 server location finds it.
 */
typedef struct {
  HailSipTransportKind  kind;
  GInetSocketAddress   *address;
  char                 *server_name;
} HailSipTarget;

#define HAIL_TYPE_SIP_TARGET (hail_sip_target_get_type ())
GType          hail_sip_target_get_type  (void) G_GNUC_CONST;

HailSipTarget *hail_sip_target_new       (HailSipTransportKind  kind,
                                          GInetSocketAddress   *address,
                                          const char           *server_name)
  G_GNUC_WARN_UNUSED_RESULT;
HailSipTarget *hail_sip_target_copy      (const HailSipTarget  *self) G_GNUC_WARN_UNUSED_RESULT;
void           hail_sip_target_free      (HailSipTarget        *self);
/* "udp:127.0.0.1:5060", "tls:[::1]:5061": for logs and events. */
char          *hail_sip_target_to_string (const HailSipTarget  *self) G_GNUC_WARN_UNUSED_RESULT;

/* "HOST:PORT" with brackets around an IPv6 host. */
char          *hail_sip_address_to_string (GInetSocketAddress  *address) G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HailSipTarget, hail_sip_target_free)

G_END_DECLS

/* hail-sip-transport-types.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hail-sip-transport-types.h"

G_DEFINE_ENUM_TYPE (HailSipTransportKind, hail_sip_transport_kind,
  G_DEFINE_ENUM_VALUE (HAIL_SIP_TRANSPORT_KIND_UDP, "udp"),
  G_DEFINE_ENUM_VALUE (HAIL_SIP_TRANSPORT_KIND_TCP, "tcp"),
  G_DEFINE_ENUM_VALUE (HAIL_SIP_TRANSPORT_KIND_TLS, "tls"))

const char *
hail_sip_transport_kind_to_string (HailSipTransportKind kind)
{
  switch (kind)
    {
    case HAIL_SIP_TRANSPORT_KIND_UDP:
      return "UDP";
    case HAIL_SIP_TRANSPORT_KIND_TCP:
      return "TCP";
    case HAIL_SIP_TRANSPORT_KIND_TLS:
      return "TLS";
    default:
      g_return_val_if_reached (NULL);
    }
}

gboolean
hail_sip_transport_kind_is_stream (HailSipTransportKind kind)
{
  return kind == HAIL_SIP_TRANSPORT_KIND_TCP || kind == HAIL_SIP_TRANSPORT_KIND_TLS;
}

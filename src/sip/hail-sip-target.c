/* hail-sip-target.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hail-sip-target.h"

G_DEFINE_BOXED_TYPE (HailSipTarget, hail_sip_target, hail_sip_target_copy, hail_sip_target_free)

HailSipTarget *
hail_sip_target_new (HailSipTransportKind  kind,
                     GInetSocketAddress   *address,
                     const char           *server_name)
{
  HailSipTarget *self;

  g_return_val_if_fail (G_IS_INET_SOCKET_ADDRESS (address), NULL);

  self = g_new0 (HailSipTarget, 1);
  self->kind = kind;
  self->address = g_object_ref (address);
  self->server_name = g_strdup (server_name);
  return self;
}

HailSipTarget *
hail_sip_target_copy (const HailSipTarget *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return hail_sip_target_new (self->kind, self->address, self->server_name);
}

void
hail_sip_target_free (HailSipTarget *self)
{
  if (self == NULL)
    return;
  g_clear_object (&self->address);
  g_free (self->server_name);
  g_free (self);
}

char *
hail_sip_address_to_string (GInetSocketAddress *address)
{
  GInetAddress *ip;
  g_autofree char *host = NULL;

  g_return_val_if_fail (G_IS_INET_SOCKET_ADDRESS (address), NULL);

  ip = g_inet_socket_address_get_address (address);
  host = g_inet_address_to_string (ip);
  if (g_inet_address_get_family (ip) == G_SOCKET_FAMILY_IPV6)
    return g_strdup_printf ("[%s]:%u", host, g_inet_socket_address_get_port (address));
  return g_strdup_printf ("%s:%u", host, g_inet_socket_address_get_port (address));
}

char *
hail_sip_target_to_string (const HailSipTarget *self)
{
  g_autofree char *addr = NULL;
  g_autofree char *kind = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  addr = hail_sip_address_to_string (self->address);
  kind = g_ascii_strdown (hail_sip_transport_kind_to_string (self->kind), -1);
  return g_strdup_printf ("%s:%s", kind, addr);
}

/* hail-media-ports.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Binding the UDP port pair of an RTP session.
 */
#include "config.h"

#include "hail-media-error.h"
#include "hail-media-private.h"

/* Tries at binding an even RTP port with the next port free for RTCP
 * (RFC 3550 §11) before giving up. */
#define BIND_ATTEMPTS 64

static gboolean
bind_socket (GInetAddress  *address,
             guint16        port,
             GSocket      **out,
             GError       **error)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) sockaddr = g_inet_socket_address_new (address, port);

  socket = g_socket_new (g_inet_address_get_family (address), G_SOCKET_TYPE_DATAGRAM,
                         G_SOCKET_PROTOCOL_UDP, error);
  if (socket == NULL || !g_socket_bind (socket, sockaddr, FALSE, error))
    return FALSE;
  *out = g_steal_pointer (&socket);
  return TRUE;
}

/* Returns the local port @socket is bound to, 0 if unknown. */
guint16
_hail_media_ports_get_port (GSocket *socket)
{
  g_autoptr(GSocketAddress) address = g_socket_get_local_address (socket, NULL);

  return address != NULL ? g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address)) : 0;
}

/* Binds an even port for RTP and the odd one above it for RTCP: the kernel
 * picks the first, and an odd pick or a taken neighbour means another try. */
gboolean
_hail_media_ports_bind_pair (GInetAddress  *address,
                             GSocket      **rtp_out,
                             GSocket      **rtcp_out,
                             GError       **error)
{
  for (guint attempt = 0; attempt < BIND_ATTEMPTS; attempt++)
    {
      g_autoptr(GSocket) rtp = NULL;
      g_autoptr(GSocket) rtcp = NULL;
      g_autoptr(GError) local_error = NULL;
      guint16 port;

      if (!bind_socket (address, 0, &rtp, error))
        return FALSE;
      port = _hail_media_ports_get_port (rtp);
      if (port == 0 || port % 2 != 0)
        continue;
      if (!bind_socket (address, port + 1, &rtcp, &local_error))
        {
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE))
            continue;
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      *rtp_out = g_steal_pointer (&rtp);
      *rtcp_out = g_steal_pointer (&rtcp);
      return TRUE;
    }
  {
    g_autofree char *text = g_inet_address_to_string (address);

    g_set_error (error, HAIL_MEDIA_ERROR, HAIL_MEDIA_ERROR_SOCKET,
                 "No free pair of UDP ports for RTP and RTCP on %s", text);
  }
  return FALSE;
}

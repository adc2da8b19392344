/* test-sip-peer.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Built with the parser and writer of src/sip, so what it answers is
 * what a conforming server would send back.
 */
#include "config.h"

#include "test-sip-peer.h"

#include "hail-sip-message-builder.h"

#include <string.h>

typedef struct {
  HailSipMessage *request;
  GSocketAddress *from;
} TestSipPeerDelayed;

static void
delayed_free (gpointer data)
{
  TestSipPeerDelayed *delayed = data;

  hail_sip_message_unref (delayed->request);
  g_object_unref (delayed->from);
  g_free (delayed);
}

static void
reply (TestSipPeer           *peer,
       GSocketAddress        *to,
       HailSipMessageBuilder *builder)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = hail_sip_message_builder_to_bytes (builder, &error);

  g_assert_no_error (error);
  g_socket_send_to (peer->socket, to, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                    NULL, &error);
  g_assert_no_error (error);
}

/* The offer's audio direction as RFC 3264 §6.1 spells it. */
static const char *
offer_direction (HailSipMessage *request)
{
  HailSipSpan body = hail_sip_message_get_body (request);
  g_autofree char *sdp = g_strndup (body.ptr, body.len);
  const char *directions[] = { "sendonly", "recvonly", "inactive" };

  for (guint i = 0; i < G_N_ELEMENTS (directions); i++)
    {
      g_autofree char *line = g_strdup_printf ("a=%s", directions[i]);

      if (strstr (sdp, line) != NULL)
        return directions[i];
    }
  return "sendrecv";
}

static void
answer_invite (TestSipPeer    *peer,
               GSocketAddress *to,
               HailSipMessage *request)
{
  g_autoptr(HailSipMessageBuilder) builder = NULL;
  g_autoptr(GSocketAddress) media = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *contact = NULL;
  g_autofree char *uri = NULL;
  const char *offered = offer_direction (request);
  const char *mirror = g_str_equal (offered, "sendonly") ? "recvonly"
                       : g_str_equal (offered, "recvonly") ? "sendonly" : offered;
  char *sdp;

  media = g_socket_get_local_address (peer->media, &error);
  g_assert_no_error (error);
  sdp = g_strdup_printf ("v=0\r\n"
                         "o=peer 1 %u IN IP4 127.0.0.1\r\n"
                         "s=-\r\n"
                         "c=IN IP4 127.0.0.1\r\n"
                         "t=0 0\r\n"
                         "m=audio %u RTP/AVP 0\r\n"
                         "a=rtpmap:0 PCMU/8000\r\n"
                         "a=%s\r\n",
                         ++peer->n_answers,
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (media)), mirror);
  body = g_bytes_new_take (sdp, strlen (sdp));
  uri = test_sip_peer_uri (peer, "peer");
  contact = g_strdup_printf ("<%s>", uri);
  builder = hail_sip_message_builder_new_reply (request, 200, NULL, "peer");
  hail_sip_message_builder_add_header (builder, "Contact", contact);
  hail_sip_message_builder_set_body (builder, "application/sdp", body);
  reply (peer, to, builder);
}

static void
invite_received (TestSipPeer    *peer,
                 GSocketAddress *from,
                 HailSipMessage *request)
{
  const HailSipNameAddr *to = hail_sip_message_get_to (request);
  guint32 cseq = hail_sip_message_get_cseq (request)->number;
  TestSipPeerDelayed *delayed;

  if (to == NULL || !hail_sip_span_present (to->tag))
    {
      answer_invite (peer, from, request);
      return;
    }
  if (cseq == peer->last_reinvite_cseq)
    return;
  peer->last_reinvite_cseq = cseq;
  g_ptr_array_add (peer->reinvites, g_strdup (offer_direction (request)));
  if (!peer->delay_reinvites)
    {
      answer_invite (peer, from, request);
      return;
    }
  {
    g_autoptr(HailSipMessageBuilder) trying = NULL;

    /* A provisional answer stops the INVITE's retransmissions. */
    trying = hail_sip_message_builder_new_reply (request, 100, NULL, NULL);
    reply (peer, from, trying);
  }
  delayed = g_new0 (TestSipPeerDelayed, 1);
  delayed->request = hail_sip_message_ref (request);
  delayed->from = g_object_ref (from);
  g_ptr_array_add (peer->delayed, delayed);
}

static gboolean
readable_cb (GSocket      *socket,
             GIOCondition  condition,
             gpointer      user_data)
{
  TestSipPeer *peer = user_data;
  g_autoptr(GSocketAddress) from = NULL;
  g_autoptr(HailSipMessage) request = NULL;
  g_autoptr(HailSipMessageBuilder) builder = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *method = NULL;
  char buffer[65536];
  gssize n;

  n = g_socket_receive_from (socket, &from, buffer, sizeof buffer, NULL, &error);
  g_assert_no_error (error);
  request = hail_sip_message_parse_data (buffer, (gsize) n, HAIL_SIP_PARSE_DATAGRAM, &error);
  g_assert_no_error (error);
  if (!hail_sip_message_is_request (request))
    return G_SOURCE_CONTINUE;
  method = hail_sip_span_dup (hail_sip_message_get_cseq (request)->method);
  if (g_strcmp0 (method, "REGISTER") == 0)
    {
      g_autofree char *contact = hail_sip_message_dup_header (request, "Contact");
      g_autofree char *expires_text = NULL;
      guint32 expires = 3600;

      peer->n_registers++;
      if (peer->register_status != 0)
        {
          builder = hail_sip_message_builder_new_reply (request, peer->register_status, NULL,
                                                        "registrar");
          reply (peer, from, builder);
          return G_SOURCE_CONTINUE;
        }
      if (peer->realm != NULL && hail_sip_message_count_headers (request, "Authorization") == 0)
        {
          g_autofree char *challenge =
            g_strdup_printf ("Digest realm=\"%s\", nonce=\"%u\", algorithm=MD5",
                             peer->realm, peer->n_registers);

          builder = hail_sip_message_builder_new_reply (request, 401, NULL, "registrar");
          hail_sip_message_builder_add_header (builder, "WWW-Authenticate", challenge);
          reply (peer, from, builder);
          return G_SOURCE_CONTINUE;
        }
      hail_sip_message_get_expires (request, &expires);
      peer->bound = expires > 0;
      expires_text = g_strdup_printf ("%u", expires);
      builder = hail_sip_message_builder_new_reply (request, 200, NULL, "registrar");
      if (contact != NULL)
        hail_sip_message_builder_add_header (builder, "Contact", contact);
      hail_sip_message_builder_add_header (builder, "Expires", expires_text);
    }
  else if (g_strcmp0 (method, "INVITE") == 0)
    {
      invite_received (peer, from, request);
      return G_SOURCE_CONTINUE;
    }
  else if (g_strcmp0 (method, "ACK") == 0)
    {
      return G_SOURCE_CONTINUE;
    }
  else if (g_strcmp0 (method, "BYE") == 0)
    {
      peer->n_byes++;
      builder = hail_sip_message_builder_new_reply (request, 200, NULL, "peer");
    }
  else
    {
      g_ptr_array_add (peer->messages,
                       hail_sip_span_dup (hail_sip_message_get_call_id (request)));
      builder = hail_sip_message_builder_new_reply (request,
                                                    peer->messages->len <= peer->n_refusals
                                                    ? 480 : 200, NULL, "peer");
    }
  reply (peer, from, builder);
  return G_SOURCE_CONTINUE;
}

TestSipPeer *
test_sip_peer_new (guint n_refusals)
{
  TestSipPeer *peer = g_new0 (TestSipPeer, 1);
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (lo, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  /* Bound before anyone is told the port. */
  peer->socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
                               G_SOCKET_PROTOCOL_UDP, &error);
  g_assert_no_error (error);
  g_assert_true (g_socket_bind (peer->socket, any, FALSE, &error));
  bound = g_socket_get_local_address (peer->socket, &error);
  g_assert_no_error (error);
  peer->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  peer->n_refusals = n_refusals;
  peer->messages = g_ptr_array_new_with_free_func (g_free);
  peer->reinvites = g_ptr_array_new_with_free_func (g_free);
  peer->delayed = g_ptr_array_new_with_free_func (delayed_free);
  peer->media = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
                              G_SOCKET_PROTOCOL_UDP, &error);
  g_assert_no_error (error);
  g_assert_true (g_socket_bind (peer->media, any, FALSE, &error));
  peer->source = g_socket_create_source (peer->socket, G_IO_IN, NULL);
  g_source_set_callback (peer->source, G_SOURCE_FUNC (readable_cb), peer, NULL);
  g_source_attach (peer->source, NULL);
  return peer;
}

void
test_sip_peer_free (TestSipPeer *peer)
{
  g_source_destroy (peer->source);
  g_source_unref (peer->source);
  g_object_unref (peer->socket);
  g_ptr_array_unref (peer->messages);
  g_ptr_array_unref (peer->reinvites);
  g_ptr_array_unref (peer->delayed);
  g_object_unref (peer->media);
  g_free (peer->realm);
  g_free (peer);
}

char *
test_sip_peer_uri (TestSipPeer *peer,
                   const char  *user)
{
  return g_strdup_printf ("sip:%s@127.0.0.1:%u", user, peer->port);
}

void
test_sip_peer_answer_reinvites (TestSipPeer *peer)
{
  g_autoptr(GPtrArray) delayed = g_steal_pointer (&peer->delayed);

  peer->delayed = g_ptr_array_new_with_free_func (delayed_free);
  for (guint i = 0; i < delayed->len; i++)
    {
      TestSipPeerDelayed *one = g_ptr_array_index (delayed, i);

      answer_invite (peer, one->from, one->request);
    }
}

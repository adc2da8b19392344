/* hail-sip-stack.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hail-sip-stack.h"

#include "hail-sip-error.h"
#include "hail-sip-log.h"
#include "hail-sip-message-builder.h"
#include "hail-sip-stack-private.h"

#include <openssl/rand.h>
#include <string.h>

/* RFC 3261 §17.2.3: the magic cookie that marks an RFC 3261 branch. */
#define BRANCH_COOKIE "z9hG4bK"
/* Random bytes (hex-encoded to twice as many characters) in identifiers. */
#define BRANCH_BYTES  12
#define TAG_BYTES      8
#define CALL_ID_BYTES 16

enum {
  PROP_0,
  PROP_TRANSPORT,
  PROP_T1,
  PROP_T2,
  PROP_T4,
  N_PROPS
};

enum {
  SIGNAL_REQUEST,
  SIGNAL_MESSAGE,
  N_SIGNALS
};

struct _HailSipStack
{
  GObject parent_instance;

  /* Owned references. */
  HailSipTransport   *transport;
  GInetSocketAddress *listen[3];   /* By HailSipTransportKind. */
  GInetSocketAddress *public[3];   /* Learned from received/rport. */
  guint               families[3]; /* Bound families: 1 << G_SOCKET_FAMILY_*. */
  GHashTable         *clients;     /* key -> HailSipClientTransaction */
  GHashTable         *servers;     /* key -> HailSipServerTransaction */

  /* State. */
  guint t1;
  guint t2;
  guint t4;
};

G_DEFINE_FINAL_TYPE (HailSipStack, hail_sip_stack, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
random_hex (char  *out,
            gsize  n_bytes)
{
  guint8 buf[32];

  g_assert (n_bytes <= sizeof buf);
  /* Branches and tags must be unguessable (RFC 3261 §26.3.2.4 relies on it
   * for CANCEL and injection resistance), so the CSPRNG, not g_random. */
  if (RAND_bytes (buf, (int) n_bytes) != 1)
    g_error ("The system random number generator failed");
  for (gsize i = 0; i < n_bytes; i++)
    {
      out[2 * i] = "0123456789abcdef"[buf[i] >> 4];
      out[2 * i + 1] = "0123456789abcdef"[buf[i] & 0xf];
    }
  out[2 * n_bytes] = '\0';
}

char *
hail_sip_stack_new_branch (void)
{
  char hex[2 * BRANCH_BYTES + 1];

  random_hex (hex, BRANCH_BYTES);
  return g_strconcat (BRANCH_COOKIE, hex, NULL);
}

char *
hail_sip_stack_new_tag (void)
{
  char hex[2 * TAG_BYTES + 1];

  random_hex (hex, TAG_BYTES);
  return g_strdup (hex);
}

char *
hail_sip_stack_new_call_id (void)
{
  char hex[2 * CALL_ID_BYTES + 1];

  random_hex (hex, CALL_ID_BYTES);
  return g_strdup (hex);
}

void
_hail_sip_reply_path_clear (HailSipReplyPath *path)
{
  g_clear_object (&path->flow);
  g_clear_object (&path->remote);
}

static void
emit_message (HailSipStack         *self,
              gboolean              outgoing,
              HailSipTransportKind  kind,
              GInetSocketAddress   *remote,
              GBytes               *bytes)
{
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);
  g_autofree char *peer = hail_sip_address_to_string (remote);

  hail_sip_log_message (outgoing, hail_sip_transport_kind_to_string (kind), peer, data, len);
  g_signal_emit (self, signals[SIGNAL_MESSAGE], 0, outgoing, kind, remote, bytes);
}

/* Transaction keys. */

static gboolean
top_via (const HailSipMessage *message,
         HailSipVia           *via)
{
  return hail_sip_message_get_n_vias (message) > 0 && hail_sip_message_get_via (message, 0, via);
}

static void
append_sent_by (GString          *key,
                const HailSipVia *via)
{
  g_string_append_len (key, via->host.ptr, via->host.len);
  g_string_append_printf (key, ":%u|", via->port);
}

static void
append_method (GString     *key,
               HailSipSpan  method)
{
  /* An ACK belongs to the INVITE transaction it acknowledges (§17.2.3). */
  if (hail_sip_span_equal_str (method, "ACK"))
    g_string_append (key, "INVITE");
  else
    g_string_append_len (key, method.ptr, method.len);
}

char *
_hail_sip_client_key (const HailSipMessage *message)
{
  HailSipVia via;
  const HailSipCSeq *cseq = hail_sip_message_get_cseq (message);
  GString *key;

  if (!top_via (message, &via) || !hail_sip_span_present (via.branch) || cseq == NULL)
    return NULL;
  /* §17.1.3: the branch and the CSeq method; the sent-by guards against a
   * response crafted for someone else's branch. The method as it is: a
   * "response" to our ACK (which has none, §17.1.1.3) must not reach the
   * INVITE transaction, whose ACK for it would loop with a peer that
   * answers every request. */
  key = g_string_new (NULL);
  g_string_append_len (key, via.branch.ptr, via.branch.len);
  g_string_append_c (key, '|');
  append_sent_by (key, &via);
  g_string_append_len (key, cseq->method.ptr, cseq->method.len);
  return g_string_free (key, FALSE);
}

char *
_hail_sip_server_key (const HailSipMessage *request,
                      gboolean              for_cancel)
{
  HailSipVia via;
  const HailSipCSeq *cseq = hail_sip_message_get_cseq (request);
  const HailSipNameAddr *from = hail_sip_message_get_from (request);
  GString *key;

  if (!top_via (request, &via) || cseq == NULL || from == NULL)
    return NULL;
  key = g_string_new (NULL);
  if (hail_sip_span_present (via.branch) && via.branch.len > strlen (BRANCH_COOKIE)
      && memcmp (via.branch.ptr, BRANCH_COOKIE, strlen (BRANCH_COOKIE)) == 0)
    {
      /* §17.2.3: branch, sent-by and method (CANCEL has its own). */
      g_string_append_len (key, via.branch.ptr, via.branch.len);
      g_string_append_c (key, '|');
      append_sent_by (key, &via);
    }
  else
    {
      HailSipSpan call_id = hail_sip_message_get_call_id (request);
      HailSipSpan uri = hail_sip_message_get_request_uri (request);

      /* An RFC 2543 peer: Request-URI, From tag, Call-ID, CSeq number and
       * top Via identify the transaction (§17.2.3). */
      g_string_append (key, "2543|");
      g_string_append_len (key, uri.ptr, uri.len);
      g_string_append_c (key, '|');
      if (hail_sip_span_present (from->tag))
        g_string_append_len (key, from->tag.ptr, from->tag.len);
      g_string_append_c (key, '|');
      g_string_append_len (key, call_id.ptr, call_id.len);
      g_string_append_printf (key, "|%u|", cseq->number);
      append_sent_by (key, &via);
      if (hail_sip_span_present (via.branch))
        g_string_append_len (key, via.branch.ptr, via.branch.len);
      g_string_append_c (key, '|');
    }
  if (for_cancel)
    g_string_append (key, "INVITE");
  else
    append_method (key, hail_sip_message_get_method (request));
  return g_string_free (key, FALSE);
}

gboolean
_hail_sip_stack_add_client (HailSipStack              *self,
                            HailSipClientTransaction  *txn,
                            GError                   **error)
{
  const char *key = _hail_sip_client_transaction_get_key (txn);

  if (key == NULL)
    {
      g_set_error_literal (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED,
                           "The request has no Via branch or CSeq");
      return FALSE;
    }
  if (g_hash_table_contains (self->clients, key))
    {
      g_set_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED,
                   "A transaction with branch key %s is already running", key);
      return FALSE;
    }
  g_hash_table_insert (self->clients, g_strdup (key), g_object_ref (txn));
  return TRUE;
}

void
_hail_sip_stack_remove_client (HailSipStack             *self,
                               HailSipClientTransaction *txn)
{
  const char *key = _hail_sip_client_transaction_get_key (txn);

  if (key != NULL && g_hash_table_lookup (self->clients, key) == txn)
    g_hash_table_remove (self->clients, key);
}

void
_hail_sip_stack_remove_server (HailSipStack             *self,
                               HailSipServerTransaction *txn)
{
  const char *key = _hail_sip_server_transaction_get_key (txn);

  if (key != NULL && g_hash_table_lookup (self->servers, key) == txn)
    g_hash_table_remove (self->servers, key);
}

/* Sending. */

static void
transport_send_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (HAIL_IS_SIP_FLOW (source))
    {
      if (!hail_sip_flow_send_finish (HAIL_SIP_FLOW (source), result, &error))
        g_task_return_error (task, error);
      else
        g_task_return_boolean (task, TRUE);
      return;
    }
  if (!hail_sip_transport_send_finish (HAIL_SIP_TRANSPORT (source), result, NULL, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
hail_sip_stack_send_async (HailSipStack        *self,
                           const HailSipTarget *target,
                           GBytes              *message,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (HAIL_IS_SIP_STACK (self));
  g_return_if_fail (target != NULL);
  g_return_if_fail (message != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hail_sip_stack_send_async);
  emit_message (self, TRUE, target->kind, target->address, message);
  hail_sip_transport_send_async (self->transport, target->kind, target->address,
                                 target->server_name, message, cancellable,
                                 transport_send_cb, g_steal_pointer (&task));
}

gboolean
hail_sip_stack_send_finish (HailSipStack  *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
_hail_sip_stack_send_reply (HailSipStack           *self,
                            const HailSipReplyPath *path,
                            GBytes                 *message,
                            GAsyncReadyCallback     callback,
                            gpointer                user_data)
{
  GTask *task = g_task_new (self, NULL, callback, user_data);

  emit_message (self, TRUE, path->kind, path->remote, message);
  /* §18.2.2: a reliable transport answers on the connection the request
   * came on while it is open; otherwise a new connection (or datagram) to
   * the address the Via gives (received/rport, RFC 3581 §4). */
  if (path->flow != NULL && hail_sip_flow_get_state (path->flow) != HAIL_SIP_FLOW_STATE_CLOSED)
    hail_sip_flow_send_async (path->flow, message, NULL, transport_send_cb, task);
  else
    hail_sip_transport_send_async (self->transport, path->kind, path->remote, NULL, message,
                                   NULL, transport_send_cb, task);
}

static void
stateless_sent_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!hail_sip_stack_send_finish (HAIL_SIP_STACK (source), result, &error))
    g_debug ("Could not send a stateless response: %s", error->message);
}

static void
send_stateless (HailSipStack           *self,
                const HailSipReplyPath *path,
                HailSipMessageBuilder  *builder)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = hail_sip_message_builder_to_bytes (builder, &error);

  if (bytes == NULL)
    {
      g_debug ("Could not write a stateless response: %s", error->message);
      return;
    }
  _hail_sip_stack_send_reply (self, path, bytes, stateless_sent_cb, NULL);
}

/* Receiving. */

/* RFC 3261 §18.2.1 and RFC 3581 §4: notes in the top Via where the request
 * really came from, so that responses go back there. Returns the request
 * as the transaction user sees it. */
static HailSipMessage *
stamp_via (HailSipMessage      *request,
           GInetSocketAddress  *remote,
           HailSipParseMode     mode,
           GError             **error)
{
  HailSipHeaderIter iter;
  HailSipSpan value;
  HailSipVia via;
  HailSipParamIter params;
  HailSipSpan name, pvalue;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GBytes) stamped = NULL;
  g_autofree char *ip = NULL;
  GString *text;
  const char *data;
  gsize size, start, end;

  hail_sip_message_iter_init (request, &iter, "Via");
  if (!hail_sip_header_iter_next (&iter, &value))
    {
      g_set_error_literal (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED, "No Via header");
      return NULL;
    }
  if (!hail_sip_via_parse (&via, value.ptr, value.len, error))
    return NULL;
  ip = g_inet_address_to_string (g_inet_socket_address_get_address (remote));
  if (!via.has_rport && hail_sip_span_equal_str (via.host, ip))
    return hail_sip_message_ref (request);

  bytes = hail_sip_message_get_bytes (request);
  data = g_bytes_get_data (bytes, &size);
  g_assert (value.ptr >= data && value.ptr + value.len <= data + size);
  start = (gsize) (value.ptr - data);
  end = start + value.len;

  text = g_string_sized_new (size + 64);
  g_string_append_len (text, data, start);
  g_string_append_len (text, via.protocol_name.ptr, via.protocol_name.len);
  g_string_append_c (text, '/');
  g_string_append_len (text, via.protocol_version.ptr, via.protocol_version.len);
  g_string_append_c (text, '/');
  g_string_append_len (text, via.transport.ptr, via.transport.len);
  g_string_append_c (text, ' ');
  if (via.host_is_ipv6)
    g_string_append_c (text, '[');
  g_string_append_len (text, via.host.ptr, via.host.len);
  if (via.host_is_ipv6)
    g_string_append_c (text, ']');
  if (via.port != 0)
    g_string_append_printf (text, ":%u", via.port);
  hail_sip_param_iter_init (&params, via.params);
  while (hail_sip_param_iter_next (&params, &name, &pvalue))
    {
      if (hail_sip_span_equal_ascii_case (name, "received")
          || hail_sip_span_equal_ascii_case (name, "rport"))
        continue;
      g_string_append_c (text, ';');
      g_string_append_len (text, name.ptr, name.len);
      if (hail_sip_span_present (pvalue))
        {
          g_string_append_c (text, '=');
          g_string_append_len (text, pvalue.ptr, pvalue.len);
        }
    }
  g_string_append_printf (text, ";received=%s", ip);
  if (via.has_rport)
    g_string_append_printf (text, ";rport=%u", g_inet_socket_address_get_port (remote));
  g_string_append_len (text, data + end, size - end);

  stamped = g_string_free_to_bytes (text);
  return hail_sip_message_parse (stamped, mode, NULL, NULL, error);
}

static void
learn_public_address (HailSipStack         *self,
                      HailSipTransportKind  kind,
                      const HailSipVia     *via)
{
  g_autofree char *host = NULL;
  g_autoptr(GInetAddress) ip = NULL;
  guint port;

  /* Over TCP and TLS, rport is the port of our side of the connection,
   * which listens for nothing: only UDP teaches a reachable address. */
  if (kind != HAIL_SIP_TRANSPORT_KIND_UDP)
    return;
  if (!hail_sip_span_present (via->received) && !(via->has_rport && via->rport != 0))
    return;
  host = hail_sip_span_present (via->received) ? hail_sip_span_dup (via->received)
                                               : hail_sip_span_dup (via->host);
  ip = g_inet_address_new_from_string (host);
  if (ip == NULL)
    return;
  port = via->rport != 0 ? via->rport : via->port;
  if (port == 0 || port > 65535)
    return;
  if (self->public[kind] != NULL
      && g_inet_address_equal (g_inet_socket_address_get_address (self->public[kind]), ip)
      && g_inet_socket_address_get_port (self->public[kind]) == port)
    return;
  g_clear_object (&self->public[kind]);
  self->public[kind] = G_INET_SOCKET_ADDRESS (g_inet_socket_address_new (ip, (guint16) port));
  g_debug ("Learned our public address for %s: %s:%u",
           hail_sip_transport_kind_to_string (kind), host, port);
}

static void
receive_response (HailSipStack         *self,
                  HailSipMessage       *response,
                  HailSipTransportKind  kind)
{
  g_autofree char *key = NULL;
  HailSipClientTransaction *txn;
  HailSipVia via;

  /* §18.1.2: a response carrying more than our Via was not meant for a UA. */
  if (hail_sip_message_get_n_vias (response) != 1 || !top_via (response, &via))
    {
      g_debug ("Dropping a response with %u Via headers", hail_sip_message_get_n_vias (response));
      return;
    }
  key = _hail_sip_client_key (response);
  txn = key != NULL ? g_hash_table_lookup (self->clients, key) : NULL;
  if (txn == NULL)
    {
      g_debug ("Dropping a %u response that matches no transaction",
               hail_sip_message_get_status (response));
      return;
    }
  learn_public_address (self, kind, &via);
  g_object_ref (txn);
  _hail_sip_client_transaction_receive (txn, response);
  g_object_unref (txn);
}

static void
receive_cancel (HailSipStack             *self,
                HailSipServerTransaction *cancel_txn,
                HailSipMessage           *cancel)
{
  g_autofree char *invite_key = _hail_sip_server_key (cancel, TRUE);
  HailSipServerTransaction *invite;
  g_autoptr(GError) error = NULL;

  invite = invite_key != NULL ? g_hash_table_lookup (self->servers, invite_key) : NULL;
  if (invite == NULL
      || hail_sip_server_transaction_get_state (invite) >= HAIL_SIP_TRANSACTION_STATE_COMPLETED)
    {
      /* §9.2: nothing left to cancel. */
      if (!hail_sip_server_transaction_reply (cancel_txn, 481, NULL, &error))
        g_debug ("Could not answer CANCEL: %s", error->message);
      return;
    }
  if (!hail_sip_server_transaction_reply (cancel_txn, 200, NULL, &error))
    g_debug ("Could not answer CANCEL: %s", error->message);
  g_signal_emit_by_name (invite, "cancelled");
}

static void
receive_request (HailSipStack     *self,
                 HailSipMessage   *request,
                 HailSipReplyPath *path)
{
  g_autofree char *key = _hail_sip_server_key (request, FALSE);
  HailSipServerTransaction *txn;
  g_autoptr(HailSipServerTransaction) created = NULL;
  gboolean handled = FALSE;

  if (key == NULL)
    {
      g_debug ("Dropping a request without Via or CSeq");
      return;
    }
  txn = g_hash_table_lookup (self->servers, key);
  if (txn != NULL)
    {
      /* A retransmission, or the ACK of a non-2xx: the machine absorbs it. */
      g_object_ref (txn);
      _hail_sip_server_transaction_receive (txn, request);
      if (hail_sip_message_is_method (request, "ACK")
          && hail_sip_server_transaction_get_state (txn) == HAIL_SIP_TRANSACTION_STATE_ACCEPTED)
        g_signal_emit (self, signals[SIGNAL_REQUEST], 0, NULL, request, &handled);
      g_object_unref (txn);
      return;
    }
  if (hail_sip_message_is_method (request, "ACK"))
    {
      /* §17.2.3: an ACK to a 2xx is its own transaction: the dialog's. */
      g_signal_emit (self, signals[SIGNAL_REQUEST], 0, NULL, request, &handled);
      if (!handled)
        g_debug ("Dropping an ACK that matches no transaction");
      return;
    }
  if (g_hash_table_size (self->servers) + g_hash_table_size (self->clients)
      >= HAIL_SIP_MAX_TRANSACTIONS)
    {
      g_autoptr(HailSipMessageBuilder) builder =
        hail_sip_message_builder_new_reply (request, 503, NULL, NULL);

      g_debug ("Too many transactions: answering 503");
      hail_sip_message_builder_add_header (builder, "Retry-After", "5");
      send_stateless (self, path, builder);
      return;
    }

  created = _hail_sip_server_transaction_new (self, request, path);
  g_hash_table_insert (self->servers, g_strdup (key), g_object_ref (created));
  if (hail_sip_message_is_method (request, "CANCEL"))
    {
      receive_cancel (self, created, request);
      return;
    }
  g_signal_emit (self, signals[SIGNAL_REQUEST], 0, created, request, &handled);
  if (!handled
      && hail_sip_server_transaction_get_state (created) < HAIL_SIP_TRANSACTION_STATE_COMPLETED)
    {
      g_autoptr(GError) error = NULL;

      if (!hail_sip_server_transaction_reply (created, 501, NULL, &error))
        g_debug ("Could not answer 501: %s", error->message);
    }
}

void
_hail_sip_stack_receive (HailSipStack         *self,
                         GBytes               *bytes,
                         HailSipFlow          *flow,
                         GInetSocketAddress   *remote,
                         HailSipTransportKind  kind)
{
  g_autoptr(HailSipMessage) message = NULL;
  g_autoptr(GError) error = NULL;
  HailSipParseMode mode;
  HailSipReplyPath path = { kind, flow, remote };

  emit_message (self, FALSE, kind, remote, bytes);
  mode = hail_sip_transport_kind_is_stream (kind) ? HAIL_SIP_PARSE_STREAM : HAIL_SIP_PARSE_DATAGRAM;
  message = hail_sip_message_parse (bytes, mode, NULL, NULL, &error);
  if (message == NULL)
    {
      g_autoptr(GError) reply_error = NULL;
      g_autoptr(HailSipMessageBuilder) builder = NULL;

      g_autofree char *peer = hail_sip_address_to_string (remote);

      g_debug ("Dropping an unparsable message from %s: %s", peer, error->message);
      /* §8.2 and §16.3: a request whose transaction headers are readable
       * gets a 400 (505, 513) so the peer learns why; others are dropped. */
      builder = hail_sip_message_builder_new_error_reply (bytes, error, NULL, &reply_error);
      if (builder != NULL)
        send_stateless (self, &path, builder);
      return;
    }

  if (!hail_sip_message_is_request (message))
    {
      receive_response (self, message, kind);
      return;
    }

  {
    g_autoptr(HailSipMessage) stamped = stamp_via (message, remote, mode, &error);
    g_autoptr(GInetSocketAddress) reply_to = NULL;
    HailSipVia via;

    if (stamped == NULL || !top_via (stamped, &via))
      {
        g_debug ("Dropping a request with an unusable Via: %s",
                 error != NULL ? error->message : "none");
        return;
      }
    /* RFC 3581 §4: answer to the source port when rport was asked for;
     * otherwise to the sent-by port (§18.2.2) at the source address. */
    if (!hail_sip_transport_kind_is_stream (kind) && !via.has_rport && via.port != 0)
      {
        reply_to = G_INET_SOCKET_ADDRESS (
          g_inet_socket_address_new (g_inet_socket_address_get_address (remote), via.port));
        path.remote = reply_to;
      }
    receive_request (self, stamped, &path);
  }
}

static void
message_received_cb (HailSipStack         *self,
                     GBytes               *bytes,
                     HailSipFlow          *flow,
                     GInetSocketAddress   *remote,
                     GInetSocketAddress   *local,
                     HailSipTransportKind  kind)
{
  _hail_sip_stack_receive (self, bytes, flow, remote, kind);
}

/* Public API. */

static void
hail_sip_stack_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  HailSipStack *self = HAIL_SIP_STACK (object);

  switch (prop_id)
    {
    case PROP_TRANSPORT:
      g_value_set_object (value, self->transport);
      break;
    case PROP_T1:
      g_value_set_uint (value, self->t1);
      break;
    case PROP_T2:
      g_value_set_uint (value, self->t2);
      break;
    case PROP_T4:
      g_value_set_uint (value, self->t4);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hail_sip_stack_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  HailSipStack *self = HAIL_SIP_STACK (object);

  switch (prop_id)
    {
    case PROP_TRANSPORT:
      self->transport = g_value_dup_object (value);
      break;
    case PROP_T1:
      hail_sip_stack_set_timers (self, g_value_get_uint (value), self->t2, self->t4);
      break;
    case PROP_T2:
      hail_sip_stack_set_timers (self, self->t1, g_value_get_uint (value), self->t4);
      break;
    case PROP_T4:
      hail_sip_stack_set_timers (self, self->t1, self->t2, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hail_sip_stack_constructed (GObject *object)
{
  HailSipStack *self = HAIL_SIP_STACK (object);

  G_OBJECT_CLASS (hail_sip_stack_parent_class)->constructed (object);

  g_assert (self->transport != NULL);
  g_signal_connect_object (self->transport, "message-received",
                           G_CALLBACK (message_received_cb), self, G_CONNECT_SWAPPED);
}

static void
hail_sip_stack_dispose (GObject *object)
{
  HailSipStack *self = HAIL_SIP_STACK (object);

  /* Transactions hold a reference on the stack only while they run; the
   * tables hold the transactions, so clearing them breaks the cycle. */
  if (self->clients != NULL)
    g_hash_table_remove_all (self->clients);
  if (self->servers != NULL)
    g_hash_table_remove_all (self->servers);
  for (guint i = 0; i < 3; i++)
    {
      g_clear_object (&self->listen[i]);
      g_clear_object (&self->public[i]);
    }
  g_clear_object (&self->transport);

  G_OBJECT_CLASS (hail_sip_stack_parent_class)->dispose (object);
}

static void
hail_sip_stack_finalize (GObject *object)
{
  HailSipStack *self = HAIL_SIP_STACK (object);

  g_clear_pointer (&self->clients, g_hash_table_unref);
  g_clear_pointer (&self->servers, g_hash_table_unref);

  G_OBJECT_CLASS (hail_sip_stack_parent_class)->finalize (object);
}

static void
hail_sip_stack_class_init (HailSipStackClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = hail_sip_stack_get_property;
  object_class->set_property = hail_sip_stack_set_property;
  object_class->constructed = hail_sip_stack_constructed;
  object_class->dispose = hail_sip_stack_dispose;
  object_class->finalize = hail_sip_stack_finalize;

  properties[PROP_TRANSPORT] =
    g_param_spec_object ("transport", NULL, NULL, HAIL_TYPE_SIP_TRANSPORT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* RFC 3261 §17.1.1.1: the round-trip estimate, the cap on non-INVITE
   * retransmission intervals, and how long a message may stay in the
   * network; milliseconds. Tests shrink T1 to run timer B in 1.3 s. */
  properties[PROP_T1] =
    g_param_spec_uint ("t1", NULL, NULL, 1, 60000, HAIL_SIP_DEFAULT_T1,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_T2] =
    g_param_spec_uint ("t2", NULL, NULL, 1, 600000, HAIL_SIP_DEFAULT_T2,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_T4] =
    g_param_spec_uint ("t4", NULL, NULL, 1, 600000, HAIL_SIP_DEFAULT_T4,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_REQUEST] =
    g_signal_new ("request", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  g_signal_accumulator_true_handled, NULL, NULL, G_TYPE_BOOLEAN, 2,
                  HAIL_TYPE_SIP_SERVER_TRANSACTION, HAIL_TYPE_SIP_MESSAGE);
  signals[SIGNAL_MESSAGE] =
    g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 4,
                  G_TYPE_BOOLEAN, HAIL_TYPE_SIP_TRANSPORT_KIND, G_TYPE_INET_SOCKET_ADDRESS,
                  G_TYPE_BYTES | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
hail_sip_stack_init (HailSipStack *self)
{
  self->t1 = HAIL_SIP_DEFAULT_T1;
  self->t2 = HAIL_SIP_DEFAULT_T2;
  self->t4 = HAIL_SIP_DEFAULT_T4;
  self->clients = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->servers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
}

HailSipStack *
hail_sip_stack_new (HailSipTransport *transport)
{
  g_return_val_if_fail (HAIL_IS_SIP_TRANSPORT (transport), NULL);

  return g_object_new (HAIL_TYPE_SIP_STACK, "transport", transport, NULL);
}

HailSipTransport *
hail_sip_stack_get_transport (HailSipStack *self)
{
  g_return_val_if_fail (HAIL_IS_SIP_STACK (self), NULL);

  return self->transport;
}

guint
hail_sip_stack_get_t1 (HailSipStack *self)
{
  g_return_val_if_fail (HAIL_IS_SIP_STACK (self), HAIL_SIP_DEFAULT_T1);

  return self->t1;
}

guint
hail_sip_stack_get_t2 (HailSipStack *self)
{
  g_return_val_if_fail (HAIL_IS_SIP_STACK (self), HAIL_SIP_DEFAULT_T2);

  return self->t2;
}

guint
hail_sip_stack_get_t4 (HailSipStack *self)
{
  g_return_val_if_fail (HAIL_IS_SIP_STACK (self), HAIL_SIP_DEFAULT_T4);

  return self->t4;
}

/* Transactions read the timers when they start, so a change applies to
 * the next transaction. */
void
hail_sip_stack_set_timers (HailSipStack *self,
                           guint         t1,
                           guint         t2,
                           guint         t4)
{
  g_return_if_fail (HAIL_IS_SIP_STACK (self));
  g_return_if_fail (t1 > 0 && t2 >= t1 && t4 > 0);

  g_object_freeze_notify (G_OBJECT (self));
  if (self->t1 != t1)
    {
      self->t1 = t1;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_T1]);
    }
  if (self->t2 != t2)
    {
      self->t2 = t2;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_T2]);
    }
  if (self->t4 != t4)
    {
      self->t4 = t4;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_T4]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

GInetSocketAddress *
hail_sip_stack_listen (HailSipStack          *self,
                       HailSipTransportKind   kind,
                       GInetSocketAddress    *address,
                       GError               **error)
{
  GInetSocketAddress *bound;

  g_return_val_if_fail (HAIL_IS_SIP_STACK (self), NULL);
  g_return_val_if_fail (kind <= HAIL_SIP_TRANSPORT_KIND_TLS, NULL);
  g_return_val_if_fail (G_IS_INET_SOCKET_ADDRESS (address), NULL);

  bound = hail_sip_transport_listen (self->transport, kind, address, error);
  if (bound == NULL)
    return NULL;
  self->families[kind] |= 1u << g_socket_address_get_family (G_SOCKET_ADDRESS (bound));
  if (self->listen[kind] == NULL)
    self->listen[kind] = g_object_ref (bound);
  return bound;
}

GInetSocketAddress *
hail_sip_stack_get_listen_address (HailSipStack         *self,
                                   HailSipTransportKind  kind)
{
  g_return_val_if_fail (HAIL_IS_SIP_STACK (self), NULL);
  g_return_val_if_fail (kind <= HAIL_SIP_TRANSPORT_KIND_TLS, NULL);

  return self->listen[kind];
}

GInetSocketAddress *
hail_sip_stack_get_local_address (HailSipStack         *self,
                                  const HailSipTarget  *target,
                                  gboolean              public,
                                  GError              **error)
{
  GInetSocketAddress *bound;
  GInetAddress *ip;
  g_autoptr(GSocket) probe = NULL;
  g_autoptr(GSocketAddress) local = NULL;

  g_return_val_if_fail (HAIL_IS_SIP_STACK (self), NULL);
  g_return_val_if_fail (target != NULL, NULL);

  if (public && self->public[target->kind] != NULL)
    return g_object_ref (self->public[target->kind]);
  bound = self->listen[target->kind] != NULL ? self->listen[target->kind]
                                              : self->listen[HAIL_SIP_TRANSPORT_KIND_UDP];
  if (bound == NULL)
    {
      g_set_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TRANSPORT,
                   "No %s or UDP socket is bound to send from",
                   hail_sip_transport_kind_to_string (target->kind));
      return NULL;
    }
  ip = g_inet_socket_address_get_address (bound);
  if (!g_inet_address_get_is_any (ip))
    return g_object_ref (bound);

  /* Bound to every interface: connecting a UDP socket sends nothing but
   * makes the kernel pick the source address it would route from. */
  probe = g_socket_new (g_socket_address_get_family (G_SOCKET_ADDRESS (target->address)),
                        G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_UDP, error);
  if (probe == NULL || !g_socket_connect (probe, G_SOCKET_ADDRESS (target->address), NULL, error))
    {
      g_autofree char *peer = hail_sip_address_to_string (target->address);

      g_prefix_error (error, "No route to %s: ", peer);
      return NULL;
    }
  local = g_socket_get_local_address (probe, error);
  if (local == NULL)
    return NULL;
  return G_INET_SOCKET_ADDRESS (
    g_inet_socket_address_new (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (local)),
                               g_inet_socket_address_get_port (bound)));
}

char *
hail_sip_stack_dup_via (HailSipStack         *self,
                        const HailSipTarget  *target,
                        const char           *branch,
                        GError              **error)
{
  g_autoptr(GInetSocketAddress) local = NULL;
  g_autofree char *sent_by = NULL;

  g_return_val_if_fail (HAIL_IS_SIP_STACK (self), NULL);
  g_return_val_if_fail (target != NULL, NULL);
  g_return_val_if_fail (branch != NULL, NULL);

  local = hail_sip_stack_get_local_address (self, target, FALSE, error);
  if (local == NULL)
    return NULL;
  sent_by = hail_sip_address_to_string (local);
  /* RFC 3581 §3: rport asks the server to answer to our source port,
   * which gets responses through NATs. */
  return g_strdup_printf ("SIP/2.0/%s %s;rport;branch=%s",
                          hail_sip_transport_kind_to_string (target->kind), sent_by, branch);
}

char *
hail_sip_stack_dup_contact_uri (HailSipStack         *self,
                                const HailSipTarget  *target,
                                const HailSipUri     *aor,
                                GError              **error)
{
  g_autoptr(GInetSocketAddress) local = NULL;
  g_autofree char *host = NULL;
  const char *user;
  gsize user_len = 0;
  GInetAddress *ip;
  GString *uri;

  g_return_val_if_fail (HAIL_IS_SIP_STACK (self), NULL);
  g_return_val_if_fail (target != NULL && aor != NULL, NULL);

  local = hail_sip_stack_get_local_address (self, target, TRUE, error);
  if (local == NULL)
    return NULL;
  ip = g_inet_socket_address_get_address (local);
  host = g_inet_address_to_string (ip);
  user = hail_sip_uri_get_user (aor, &user_len);
  uri = g_string_new (target->kind == HAIL_SIP_TRANSPORT_KIND_TLS ? "sips:" : "sip:");
  if (user != NULL)
    {
      /* Still escaped as in the AOR, which is what a URI wants. */
      g_string_append_len (uri, user, (gssize) user_len);
      g_string_append_c (uri, '@');
    }
  if (g_inet_address_get_family (ip) == G_SOCKET_FAMILY_IPV6)
    g_string_append_printf (uri, "[%s]", host);
  else
    g_string_append (uri, host);
  g_string_append_printf (uri, ":%u", g_inet_socket_address_get_port (local));
  if (target->kind == HAIL_SIP_TRANSPORT_KIND_TCP)
    g_string_append (uri, ";transport=tcp");
  return g_string_free (uri, FALSE);
}

const HailSipTarget *
hail_sip_stack_pick_target (HailSipStack *self,
                            GPtrArray    *targets)
{
  g_return_val_if_fail (HAIL_IS_SIP_STACK (self), NULL);
  g_return_val_if_fail (targets != NULL, NULL);

  /* UDP leaves from a bound socket of the same family; streams connect
   * from any. "localhost" gives ::1 first, and we may be bound to IPv4
   * only. */
  for (guint i = 0; i < targets->len; i++)
    {
      const HailSipTarget *target = g_ptr_array_index (targets, i);
      guint family = 1u << g_socket_address_get_family (G_SOCKET_ADDRESS (target->address));

      if (target->kind != HAIL_SIP_TRANSPORT_KIND_UDP
          || (self->families[HAIL_SIP_TRANSPORT_KIND_UDP] & family) != 0)
        return target;
    }
  return targets->len > 0 ? g_ptr_array_index (targets, 0) : NULL;
}

guint
hail_sip_stack_get_n_transactions (HailSipStack *self)
{
  g_return_val_if_fail (HAIL_IS_SIP_STACK (self), 0);

  return g_hash_table_size (self->clients) + g_hash_table_size (self->servers);
}

/* fuzz-session.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Drives two HailSipSessions on a fresh stack bound to 127.0.0.1 UDP: an
 * outgoing one (its INVITE sent to a sink socket nobody reads) and an
 * incoming one (a fixed INVITE from the sink, Call-ID fz-in, answered
 * 180). The input is a sequence of segments split on "\n===\n", each
 * delivered in turn:
 *  - a SIP message, handed to the stack's receive entry point as a
 *    datagram from the sink, after these stand-ins are replaced so that
 *    the fuzzer can reach the dialogs whose ids are random:
 *      $OC $OT  the outgoing session's Call-ID and From tag
 *      $OV $OB $ON  top Via, its branch, and CSeq number of the last
 *               request it sent
 *      $IT      the incoming session's To tag
 *      $IV $IB $IN  the same for the incoming session
 *      $SP      the sink's port, for a Contact that reaches it
 *  - "!" and a letter, our own action: a/A accept the incoming call
 *    (a sendrecv / sendonly answer), r ring with early media, j reject it, h/H hang up
 *    the outgoing/incoming session, i/I re-INVITE (hold) on it, u/U
 *    UPDATE on it.
 * So the state machines see any order: responses before requests,
 * retransmissions, BYE before ACK, glare, CANCEL after 200. Timers are
 * pushed out of reach (T1 = 60 s) and the main context is iterated
 * without blocking, so a run never depends on time; everything is freed
 * per input.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hail-sip-session.h"
#include "hail-sip-stack-private.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

#define SEPARATOR "\n===\n"
#define FUZZ_MAX_SEGMENTS 48
#define FUZZ_MAX_INPUT (64 * 1024)
/* A main context that never goes quiet is a livelock: fail loudly. */
#define FUZZ_MAX_ITERATIONS 100000

typedef struct {
  char    *via;     /* The whole Via value, for responses to copy. */
  char    *branch;
  char    *cseq;
  char    *tag;     /* From: ours. */
} Sent;

typedef struct {
  HailSipStack       *stack;
  GSocket            *sink;
  GInetSocketAddress *sink_address;
  HailSipSession     *outgoing;
  HailSipSession     *incoming;
  Sent                out_sent;
  Sent                in_sent;
} Fuzz;

static const char incoming_offer[] =
  "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
  "m=audio 4000 RTP/AVP 0\r\n";

static const char incoming_invite[] =
  "INVITE sip:alice@127.0.0.1 SIP/2.0\r\n"
  "Via: SIP/2.0/UDP 127.0.0.1:5099;branch=z9hG4bKfzin;rport\r\n"
  "Max-Forwards: 70\r\n"
  "From: <sip:bob@example.test>;tag=peer\r\n"
  "To: <sip:alice@example.test>\r\n"
  "Call-ID: fz-in\r\n"
  "CSeq: 1 INVITE\r\n"
  "Contact: <sip:bob@127.0.0.1:5099>\r\n"
  "Allow: INVITE, ACK, CANCEL, BYE, UPDATE\r\n"
  "Content-Type: application/sdp\r\n"
  "Content-Length: %zu\r\n\r\n%s";

static GBytes *
sdp (const char *direction)
{
  g_autofree char *text = g_strdup_printf ("v=0\r\no=- 2 2 IN IP4 127.0.0.1\r\ns=-\r\n"
                                           "c=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                                           "m=audio 4002 RTP/AVP 0\r\na=%s\r\n", direction);
  gsize len = strlen (text);

  return g_bytes_new_take (g_steal_pointer (&text), len);
}

static void
iterate (void)
{
  guint n = 0;

  while (g_main_context_iteration (NULL, FALSE))
    if (++n > FUZZ_MAX_ITERATIONS)
      abort ();
}

static GBytes *
remote_offer_cb (HailSipSession *session,
                 GBytes         *offer,
                 gpointer        user_data)
{
  /* An offerless re-INVITE wants our offer; any offer gets an answer. */
  return sdp (offer != NULL ? "recvonly" : "sendrecv");
}

static void
sent_clear (Sent *sent)
{
  g_clear_pointer (&sent->via, g_free);
  g_clear_pointer (&sent->branch, g_free);
  g_clear_pointer (&sent->cseq, g_free);
  g_clear_pointer (&sent->tag, g_free);
}

/* Remembers what the stand-ins need of each request a session sends. */
static void
message_cb (HailSipStack         *stack,
            gboolean              outgoing,
            HailSipTransportKind  kind,
            GInetSocketAddress   *remote,
            GBytes               *bytes,
            Fuzz                 *fz)
{
  g_autoptr(HailSipMessage) message = NULL;
  HailSipHeaderIter iter;
  HailSipSpan value;
  HailSipVia via;
  Sent *sent;

  if (!outgoing)
    return;
  message = hail_sip_message_parse (bytes, HAIL_SIP_PARSE_DATAGRAM, NULL, NULL, NULL);
  if (message == NULL || !hail_sip_message_is_request (message)
      || !hail_sip_message_get_via (message, 0, &via))
    return;
  if (fz->outgoing != NULL
      && hail_sip_span_equal_str (hail_sip_message_get_call_id (message),
                                  hail_sip_session_get_call_id (fz->outgoing)))
    sent = &fz->out_sent;
  else if (hail_sip_span_equal_str (hail_sip_message_get_call_id (message), "fz-in"))
    sent = &fz->in_sent;
  else
    return;
  sent_clear (sent);
  hail_sip_message_iter_init (message, &iter, "Via");
  if (hail_sip_header_iter_next (&iter, &value))
    sent->via = hail_sip_span_dup (value);
  sent->branch = hail_sip_span_dup (via.branch);
  sent->cseq = g_strdup_printf ("%u", hail_sip_message_get_cseq (message)->number);
  sent->tag = hail_sip_span_dup (hail_sip_message_get_from (message)->tag);
}

static gboolean
request_cb (HailSipStack             *stack,
            HailSipServerTransaction *txn,
            HailSipMessage           *request,
            Fuzz                     *fz)
{
  g_autoptr(HailSipUri) local = NULL;
  g_autoptr(GError) error = NULL;

  if (fz->outgoing != NULL && hail_sip_session_handle_request (fz->outgoing, txn, request))
    return TRUE;
  if (fz->incoming != NULL && hail_sip_session_handle_request (fz->incoming, txn, request))
    return TRUE;
  if (fz->incoming != NULL || txn == NULL || !hail_sip_message_is_method (request, "INVITE"))
    return FALSE;
  local = hail_sip_uri_parse ("sip:alice@127.0.0.1", -1, NULL);
  fz->incoming = hail_sip_session_new_incoming (stack, txn, request, local, &error);
  if (fz->incoming == NULL)
    return FALSE;
  g_signal_connect (fz->incoming, "remote-offer", G_CALLBACK (remote_offer_cb), NULL);
  if (hail_sip_session_check_timer (fz->incoming, NULL))
    hail_sip_session_ring (fz->incoming, NULL, NULL);
  return TRUE;
}

static void
ignore_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  HailSipSession *session = HAIL_SIP_SESSION (source);
  const char *what = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) answer = NULL;

  if (g_str_equal (what, "invite"))
    hail_sip_session_invite_finish (session, result, &error);
  else if (g_str_equal (what, "hangup"))
    hail_sip_session_hangup_finish (session, result, &error);
  else
    answer = hail_sip_session_reinvite_finish (session, result, &error);
}

static void
act (Fuzz *fz,
     char  action)
{
  HailSipSession *session = g_ascii_isupper (action) || action == 'a' || action == 'r'
                            || action == 'j' ? fz->incoming : fz->outgoing;
  g_autoptr(GBytes) answer = sdp ("sendrecv");
  g_autoptr(GBytes) hold = sdp ("sendonly");

  if (session == NULL)
    return;
  switch (action)
    {
    case 'a':
      hail_sip_session_accept (session, answer, NULL);
      break;
    case 'A':
      /* Answered on hold: later offers meet a held dialog. */
      hail_sip_session_accept (session, hold, NULL);
      break;
    case 'r':
      hail_sip_session_ring (session, answer, NULL);
      break;
    case 'j':
      hail_sip_session_reject (session, 486, NULL);
      break;
    case 'h':
    case 'H':
      hail_sip_session_hangup_async (session, NULL, ignore_cb, (gpointer) "hangup");
      break;
    case 'i':
    case 'I':
      hail_sip_session_reinvite_async (session, hold, NULL, ignore_cb, (gpointer) "reinvite");
      break;
    case 'u':
    case 'U':
      hail_sip_session_update_async (session, hold, NULL, ignore_cb, (gpointer) "update");
      break;
    default:
      break;
    }
}

static GBytes *
expand (Fuzz       *fz,
        const char *segment,
        gsize       len)
{
  g_autofree char *sink_port = g_strdup_printf ("%u",
                                                 g_inet_socket_address_get_port (fz->sink_address));
  struct {
    const char *name;
    const char *value;
  } stand_ins[] = {
    { "$OC", fz->outgoing != NULL ? hail_sip_session_get_call_id (fz->outgoing) : NULL },
    { "$OT", fz->out_sent.tag },
    { "$OV", fz->out_sent.via },
    { "$OB", fz->out_sent.branch },
    { "$ON", fz->out_sent.cseq },
    { "$IT", NULL },
    { "$IV", fz->in_sent.via },
    { "$IB", fz->in_sent.branch },
    { "$IN", fz->in_sent.cseq },
    { "$SP", sink_port },
  };
  GString *out = g_string_sized_new (len + 64);
  HailSipDialog *dialog;

  if (fz->incoming != NULL && (dialog = hail_sip_session_get_dialog (fz->incoming)) != NULL)
    stand_ins[5].value = hail_sip_dialog_get_local_tag (dialog);

  for (gsize i = 0; i < len; i++)
    {
      gboolean replaced = FALSE;

      if (segment[i] == '$' && i + 3 <= len)
        for (gsize s = 0; s < G_N_ELEMENTS (stand_ins) && !replaced; s++)
          if (memcmp (segment + i, stand_ins[s].name, 3) == 0)
            {
              g_string_append (out, stand_ins[s].value != NULL ? stand_ins[s].value : "none");
              i += 2;
              replaced = TRUE;
            }
      if (!replaced)
        g_string_append_c (out, segment[i]);
    }
  return g_string_free_to_bytes (out);
}

static void
deliver (Fuzz       *fz,
         const char *segment,
         gsize       len)
{
  g_autoptr(GBytes) bytes = NULL;

  if (len == 2 && segment[0] == '!')
    {
      act (fz, segment[1]);
      iterate ();
      return;
    }
  bytes = expand (fz, segment, len);
  _hail_sip_stack_receive (fz->stack, bytes, NULL, fz->sink_address,
                           HAIL_SIP_TRANSPORT_KIND_UDP);
  iterate ();
}

static gboolean
fuzz_setup (Fuzz *fz)
{
  g_autoptr(HailSipTransport) transport = hail_sip_transport_new ();
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (lo, 0);
  g_autoptr(GInetSocketAddress) bound = NULL;
  g_autoptr(HailSipUri) local = hail_sip_uri_parse ("sip:alice@127.0.0.1", -1, NULL);
  g_autoptr(HailSipUri) remote = NULL;
  g_autofree char *remote_text = NULL;
  g_autoptr(GBytes) offer = sdp ("sendrecv");
  g_autofree char *invite_text = g_strdup_printf (incoming_invite, strlen (incoming_offer),
                                                  incoming_offer);
  g_autoptr(GBytes) invite = g_bytes_new (invite_text, strlen (invite_text));

  fz->sink = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
                           G_SOCKET_PROTOCOL_UDP, NULL);
  if (fz->sink == NULL || !g_socket_bind (fz->sink, any, FALSE, NULL))
    return FALSE;
  fz->sink_address = G_INET_SOCKET_ADDRESS (g_socket_get_local_address (fz->sink, NULL));
  fz->stack = hail_sip_stack_new (transport);
  hail_sip_stack_set_timers (fz->stack, 60000, 600000, 600000);
  bound = hail_sip_stack_listen (fz->stack, HAIL_SIP_TRANSPORT_KIND_UDP,
                                 G_INET_SOCKET_ADDRESS (any), NULL);
  if (bound == NULL)
    return FALSE;
  g_signal_connect (fz->stack, "request", G_CALLBACK (request_cb), fz);
  g_signal_connect (fz->stack, "message", G_CALLBACK (message_cb), fz);

  remote_text = g_strdup_printf ("sip:bob@127.0.0.1:%u",
                                 g_inet_socket_address_get_port (fz->sink_address));
  remote = hail_sip_uri_parse (remote_text, -1, NULL);
  fz->outgoing = hail_sip_session_new_outgoing (fz->stack, NULL, local, remote, NULL,
                                                HAIL_SIP_TRANSPORT_KIND_UDP);
  g_signal_connect (fz->outgoing, "remote-offer", G_CALLBACK (remote_offer_cb), NULL);
  hail_sip_session_invite_async (fz->outgoing, offer, NULL, ignore_cb, (gpointer) "invite");
  _hail_sip_stack_receive (fz->stack, invite, NULL, fz->sink_address,
                           HAIL_SIP_TRANSPORT_KIND_UDP);
  iterate ();
  return TRUE;
}

static void
fuzz_teardown (Fuzz *fz)
{
  /* Disposing cancels what the sessions and the stack still wait for;
   * the completions run before the last references go. */
  if (fz->outgoing != NULL)
    g_object_run_dispose (G_OBJECT (fz->outgoing));
  if (fz->incoming != NULL)
    g_object_run_dispose (G_OBJECT (fz->incoming));
  if (fz->stack != NULL)
    g_object_run_dispose (G_OBJECT (fz->stack));
  iterate ();
  g_clear_object (&fz->outgoing);
  g_clear_object (&fz->incoming);
  g_clear_object (&fz->stack);
  iterate ();
  g_clear_object (&fz->sink_address);
  g_clear_object (&fz->sink);
  sent_clear (&fz->out_sent);
  sent_clear (&fz->in_sent);
}

/* memmem() without _GNU_SOURCE: the input may hold NUL bytes. */
static const char *
find_separator (const char *text,
                const char *end)
{
  gsize n = strlen (SEPARATOR);

  for (const char *p = text; (gsize) (end - p) >= n; p++)
    if (memcmp (p, SEPARATOR, n) == 0)
      return p;
  return NULL;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  Fuzz fz = { 0 };
  const char *text = (const char *) data;
  const char *end = text + size;
  guint n_segments = 0;

  if (size > FUZZ_MAX_INPUT)
    return 0;
  if (fuzz_setup (&fz))
    {
      while (text < end && n_segments++ < FUZZ_MAX_SEGMENTS)
        {
          const char *sep = find_separator (text, end);
          const char *stop = sep != NULL ? sep : end;

          deliver (&fz, text, (gsize) (stop - text));
          text = sep != NULL ? sep + strlen (SEPARATOR) : end;
        }
    }
  fuzz_teardown (&fz);
  return 0;
}

/* hail-chat-pager.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * HailChat: the pager path (RFC 3428). Texts short enough for a MESSAGE,
 * incoming MESSAGEs stored once however often they come, typing
 * notifications (RFC 3994) and IMDN (RFC 5438).
 */
#include "config.h"

#include "hail-chat-private.h"

#include "hail-sip-charset.h"
#include "hail-sip-error.h"

#include <string.h>

#define signals _hail_chat_signals

static void
pager_sent_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SendOp *op = g_task_get_task_data (task);
  g_autofree char *reason = NULL;
  HailStoreMessageState state;
  guint report = 0;

  if (hail_sip_pager_send_finish (HAIL_SIP_PAGER (source), result, &op->status, NULL, NULL, NULL,
                                  &op->error))
    {
      state = HAIL_STORE_MESSAGE_STATE_SENT;
      report = op->status;
      reason = g_strdup (hail_sip_status_get_reason_phrase (op->status));
    }
  else if (g_error_matches (op->error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* Hail is stopping: the row stays SENDING for the next start. */
      g_task_return_error (task, g_steal_pointer (&op->error));
      return;
    }
  else
    {
      state = HAIL_STORE_MESSAGE_STATE_FAILED;
      if (op->refused != NULL)
        {
          /* Both ways failed: the reason names both. */
          if (op->refused->domain == HAIL_SIP_STATUS_ERROR)
            g_prefix_error (&op->error, "the peer refused a message session (%d %s), and as a "
                            "MESSAGE: ", op->refused->code, op->refused->message);
          else
            g_prefix_error (&op->error, "no message session (%s), and as a MESSAGE: ",
                            op->refused->message);
        }
      reason = _hail_chat_describe (op->error, op->status, &report);
      op->status = report;
    }
  _hail_chat_finish_send (g_steal_pointer (&task), state, report, reason);
}

void
_hail_chat_send_by_pager (GTask *task)
{
  HailChat *self = g_task_get_source_object (task);
  SendOp *op = g_task_get_task_data (task);
  HailSipPagerOutgoing out = { 0 };

  out.to = op->to;
  out.call_id = op->call_id;
  out.cseq = op->cseq;
  out.content_type = op->content_type;
  out.body = op->body;
  out.cpim = self->use_cpim || op->imdn_id != NULL;
  out.imdn_message_id = op->imdn_id;
  if (op->imdn_id != NULL)
    out.disposition = HAIL_SIP_CPIM_DISPOSITION_POSITIVE_DELIVERY
                      | HAIL_SIP_CPIM_DISPOSITION_NEGATIVE_DELIVERY
                      | HAIL_SIP_CPIM_DISPOSITION_DISPLAY;
  if (op->imdn_id != NULL && op->id != 0)
    {
      gint64 *id = g_new (gint64, 1);

      *id = op->id;
      /* Notifications come soon after the message or not at all; past
       * the bound, the oldest ids are forgotten together. */
      if (g_hash_table_size (self->sent_imdn) >= HAIL_CHAT_MAX_SEEN)
        g_hash_table_remove_all (self->sent_imdn);
      g_hash_table_replace (self->sent_imdn, g_strdup (op->imdn_id), id);
    }
  hail_sip_pager_send_async (hail_account_get_pager (self->account), &out,
                             g_task_get_cancellable (task), pager_sent_cb, task);
}

/* Incoming messages. */

typedef struct {
  HailChat             *self;
  HailSipPagerIncoming *in;
  HailStoreMessageMode  mode;
} IncomingOp;

static void
incoming_op_free (IncomingOp *op)
{
  g_object_unref (op->self);
  hail_sip_pager_incoming_free (op->in);
  g_free (op);
}

void
_hail_chat_sent_notification_cb (GObject      *source,
                                 GAsyncResult *result,
                                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!hail_sip_pager_send_finish (HAIL_SIP_PAGER (source), result, NULL, NULL, NULL, NULL,
                                   &error))
    g_debug ("A notification was not delivered: %s", error->message);
}

/* RFC 5438 §7.1: a notification is itself a CPIM message with its own
 * Message-ID, carrying message/imdn+xml as a "notification". */
void
_hail_chat_send_imdn (HailChat          *self,
                      const char        *to,
                      const char        *message_id,
                      const char        *datetime,
                      HailSipImdnKind    kind,
                      HailSipImdnStatus  status)
{
  g_autoptr(GBytes) doc = hail_sip_imdn_write (message_id, datetime, self->aor, kind, status);
  g_autofree char *own_id = hail_sip_imdn_new_message_id ();
  g_autofree char *from = g_strdup_printf ("<%s>", self->aor);
  g_autofree char *to_angle = g_strdup_printf ("<%s>", to);
  g_autoptr(GBytes) body = hail_sip_cpim_write (from, to_angle, own_id,
                                                HAIL_SIP_CPIM_DISPOSITION_NONE,
                                                HAIL_SIP_IMDN_CONTENT_TYPE, "notification", doc);
  HailSipPagerOutgoing out = { .to = to, .content_type = "message/cpim", .body = body };

  hail_sip_pager_send_async (hail_account_get_pager (self->account), &out, self->cancellable,
                             _hail_chat_sent_notification_cb, NULL);
}

static gboolean
their_composing_expired_cb (gpointer user_data)
{
  Composing *c = user_data;
  HailChat *self = c->chat;
  g_autofree char *remote = g_strdup (c->remote);

  c->idle_id = 0;
  g_hash_table_remove (self->theirs, remote);
  g_signal_emit (self, signals[SIGNAL_COMPOSING], 0, remote, FALSE);
  return G_SOURCE_REMOVE;
}

void
_hail_chat_their_composing (HailChat   *self,
                            const char *from,
                            gboolean    active,
                            guint       refresh)
{
  Composing *c = g_hash_table_lookup (self->theirs, from);
  gboolean was_active = c != NULL;

  if (!active)
    {
      g_hash_table_remove (self->theirs, from);
      if (was_active)
        g_signal_emit (self, signals[SIGNAL_COMPOSING], 0, from, FALSE);
      return;
    }
  if (c == NULL)
    {
      /* A peer flooding states from ever new addresses is bounded by the
       * table: the oldest entries are not tracked beyond this. */
      if (g_hash_table_size (self->theirs) >= HAIL_CHAT_MAX_SEEN)
        return;
      c = g_new0 (Composing, 1);
      c->chat = self;
      c->remote = g_strdup (from);
      g_hash_table_insert (self->theirs, c->remote, c);
    }
  /* §4: without a refresh the state lapses after 120 s; a refresh under
   * 60 s is raised to 60. */
  if (refresh == 0)
    refresh = HAIL_SIP_ISCOMPOSING_REFRESH_S;
  refresh = MAX (refresh, HAIL_SIP_ISCOMPOSING_MIN_REFRESH_S);
  g_clear_handle_id (&c->idle_id, g_source_remove);
  c->idle_id = g_timeout_add_seconds (MIN (refresh, 3600), their_composing_expired_cb, c);
  if (!was_active)
    g_signal_emit (self, signals[SIGNAL_COMPOSING], 0, from, TRUE);
}

static gboolean
seen_before (HailChat             *self,
             HailSipPagerIncoming *in)
{
  char *key = g_strdup_printf ("%s\n%u", in->call_id, in->cseq);

  if (g_hash_table_contains (self->seen, key))
    {
      g_free (key);
      return TRUE;
    }
  g_hash_table_add (self->seen, key);
  g_queue_push_tail (self->seen_order, key);
  if (g_queue_get_length (self->seen_order) > HAIL_CHAT_MAX_SEEN)
    g_hash_table_remove (self->seen, g_queue_pop_head (self->seen_order));
  return FALSE;
}

/* A sender that restarts sends a message again with its Call-ID and
 * CSeq, but a proxy's challenge can move the CSeq on by one (the first
 * copy went with cached credentials, the second needed a 407), so the
 * store's (Call-ID, CSeq) key misses it. The same Call-ID from the same
 * sender with the same text is that message again. */
static gboolean
resent_copy (HailChat             *self,
             HailSipPagerIncoming *in)
{
  g_autofree char *sum = g_compute_checksum_for_string (G_CHECKSUM_SHA256, in->body, -1);
  char *value = g_strdup_printf ("%s\n%s", in->from, sum);
  const char *known = g_hash_table_lookup (self->recent, in->call_id);
  char *key;

  if (known != NULL)
    {
      gboolean same = strcmp (known, value) == 0;

      g_free (value);
      return same;
    }
  key = g_strdup (in->call_id);
  g_hash_table_insert (self->recent, key, value);
  g_queue_push_tail (self->recent_order, key);
  if (g_queue_get_length (self->recent_order) > HAIL_CHAT_MAX_SEEN)
    g_hash_table_remove (self->recent, g_queue_pop_head (self->recent_order));
  return FALSE;
}

static void
deliver (HailChat             *self,
         HailSipPagerIncoming *in,
         HailStoreMessageMode  mode)
{
  _hail_chat_their_composing (self, in->from, FALSE, 0);
  /* The detail says the way: "message-received::session". */
  g_signal_emit (self, signals[SIGNAL_MESSAGE_RECEIVED],
                 g_quark_from_static_string (mode == HAIL_STORE_MESSAGE_MODE_SESSION ? "session"
                                                                                  : "pager"),
                 in->from, in->content_type, in->body);
  if (!self->imdn || in->imdn_message_id == NULL)
    return;
  if (in->disposition & HAIL_SIP_CPIM_DISPOSITION_POSITIVE_DELIVERY)
    _hail_chat_send_imdn (self, in->from, in->imdn_message_id, in->datetime,
                          HAIL_SIP_IMDN_KIND_DELIVERY, HAIL_SIP_IMDN_STATUS_DELIVERED);
  if ((in->disposition & HAIL_SIP_CPIM_DISPOSITION_DISPLAY)
      && g_hash_table_size (self->want_display) < HAIL_CHAT_MAX_SEEN)
    g_hash_table_add (self->want_display,
                      g_strdup_printf ("%s\n%s", in->from, in->imdn_message_id));
}

static void
incoming_stored_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  IncomingOp *op = user_data;
  g_autoptr(GError) error = NULL;
  gboolean duplicate = FALSE;

  if (hail_store_add_incoming_message_finish (HAIL_STORE (source), result, &duplicate,
                                              &error) == 0)
    {
      /* The text is shown anyway: losing it from the screen too would be
       * worse than a gap in the history, which the store reported. */
      g_debug ("Could not store an incoming message: %s", error->message);
      if (!seen_before (op->self, op->in))
        deliver (op->self, op->in, op->mode);
    }
  else if (duplicate)
    g_debug ("MESSAGE %s/%u is a retransmission; stored already", op->in->call_id, op->in->cseq);
  else
    deliver (op->self, op->in, op->mode);
  incoming_op_free (op);
}

void
_hail_chat_take_text (HailChat             *self,
                      HailSipPagerIncoming *in,
                      HailStoreMessageMode  mode)
{
  g_autoptr(HailStoreMessage) draft = NULL;
  IncomingOp *op;

  if (resent_copy (self, in))
    {
      g_debug ("MESSAGE %s came again from %s after a restart; shown and stored already",
               in->call_id, in->from);
      hail_sip_pager_incoming_free (in);
      return;
    }
  if (self->store == NULL)
    {
      if (!seen_before (self, in))
        deliver (self, in, mode);
      hail_sip_pager_incoming_free (in);
      return;
    }
  draft = g_object_new (HAIL_TYPE_STORE_MESSAGE,
                        "account", self->aor,
                        "remote", in->from,
                        "direction", HAIL_STORE_DIRECTION_IN,
                        "body", in->body,
                        "content-type", in->content_type,
                        "call-id", in->call_id,
                        "cseq", (guint) in->cseq,
                        "imdn-id", in->imdn_message_id,
                        "mode", mode,
                        "state", HAIL_STORE_MESSAGE_STATE_DELIVERED,
                        "time-received", g_get_real_time (),
                        NULL);
  op = g_new0 (IncomingOp, 1);
  op->self = g_object_ref (self);
  op->in = in;
  op->mode = mode;
  hail_store_add_incoming_message_async (self->store, draft, NULL, incoming_stored_cb, op);
}

void
_hail_chat_take_imdn (HailChat             *self,
                      HailSipPagerIncoming *in)
{
  gint64 *id = g_hash_table_lookup (self->sent_imdn, in->imdn->message_id);

  if (id == NULL)
    {
      g_debug ("A notification for unknown message %s", in->imdn->message_id);
      return;
    }
  switch (in->imdn->status)
    {
    case HAIL_SIP_IMDN_STATUS_DELIVERED:
      _hail_chat_record_state (self, *id, HAIL_STORE_MESSAGE_STATE_DELIVERED, 200, "delivered");
      break;
    case HAIL_SIP_IMDN_STATUS_DISPLAYED:
      _hail_chat_record_state (self, *id, HAIL_STORE_MESSAGE_STATE_DISPLAYED, 200, "displayed");
      break;
    case HAIL_SIP_IMDN_STATUS_FAILED:
    case HAIL_SIP_IMDN_STATUS_FORBIDDEN:
    case HAIL_SIP_IMDN_STATUS_ERROR:
    default:
      _hail_chat_record_state (self, *id, HAIL_STORE_MESSAGE_STATE_FAILED, 0,
                               "the recipient's device reported that delivery failed");
      break;
    }
}

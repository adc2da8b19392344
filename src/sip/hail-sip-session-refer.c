/* hail-sip-session-refer.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Blind transfer (RFC 3515) on an INVITE session, both ways: REFER sent
 * and its NOTIFYs followed (transferor); REFER taken, 202, and the
 * outcome reported in NOTIFY with a message/sipfrag body (transferee).
 */
#include "config.h"

#include "hail-sip-session-private.h"

#include "hail-sip-error.h"
#include "hail-sip-message-builder.h"

#include <string.h>

static void
refer_done (HailSipSession *self,
            GError         *error)
{
  GTask *task = g_steal_pointer (&self->refer_task);

  if (task == NULL)
    {
      g_clear_error (&error);
      return;
    }
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
refer_sent_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  HailSipSession *self = HAIL_SIP_SESSION (source);
  g_autoptr(HailSipMessage) response = NULL;
  GError *error = NULL;
  guint status;

  response = _hail_sip_session_send_finish (self, result, &error);
  if (response == NULL)
    {
      refer_done (self, error);
      return;
    }
  status = hail_sip_message_get_status (response);
  if (status >= 300)
    {
      g_autofree char *reason = hail_sip_span_dup (hail_sip_message_get_reason (response));

      refer_done (self, g_error_new (HAIL_SIP_STATUS_ERROR, (gint) status, "%s", reason));
    }
  /* A 202 only says the peer will try: its NOTIFYs tell how it went. */
}

void
hail_sip_session_refer_async (HailSipSession      *self,
                              const char          *target,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(HailSipUri) uri = NULL;
  g_autofree char *refer_to = NULL;
  g_autofree char *referred_by = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (HAIL_IS_SIP_SESSION (self));
  g_return_if_fail (target != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hail_sip_session_refer_async);
  uri = hail_sip_uri_parse (target, -1, &error);
  if (uri == NULL)
    {
      g_task_return_new_error (task, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED,
                               "Invalid transfer target “%s”: %s", target, error->message);
      return;
    }
  if (self->state != HAIL_SIP_SESSION_STATE_ESTABLISHED || self->refer_task != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_BUSY,
                               "The call is not established or a transfer is under way");
      return;
    }
  self->refer_task = g_steal_pointer (&task);
  refer_to = g_strdup_printf ("<%s>", hail_sip_uri_to_string (uri));
  referred_by = g_strdup_printf ("<%s>", hail_sip_uri_to_string (self->local));
  {
    const char *headers[] = { "Refer-To", refer_to, "Referred-By", referred_by, NULL };

    _hail_sip_session_send_async (self, "REFER", hail_sip_dialog_next_cseq (self->dialog),
                                  headers, NULL, refer_sent_cb, NULL);
  }
}

gboolean
hail_sip_session_refer_finish (HailSipSession  *self,
                               GAsyncResult    *result,
                               GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* The status line of a message/sipfrag body ("SIP/2.0 200 OK"), or 0. */
static guint
sipfrag_status (HailSipMessage *notify)
{
  HailSipSpan body = hail_sip_message_get_body (notify);
  guint status = 0;

  if (body.len < 12 || memcmp (body.ptr, "SIP/2.0 ", 8) != 0)
    return 0;
  for (gsize i = 8; i < 11; i++)
    {
      if (!g_ascii_isdigit (body.ptr[i]))
        return 0;
      status = status * 10 + (guint) (body.ptr[i] - '0');
    }
  return status >= 100 && status <= 699 ? status : 0;
}

gboolean
_hail_sip_session_receive_notify (HailSipSession *self,
                                  HailSipMessage *notify,
                                  guint          *reply_status)
{
  HailSipSpan event;
  guint status;

  *reply_status = 200;
  if (!hail_sip_message_get_header (notify, "Event", &event)
      || event.len < 5 || g_ascii_strncasecmp (event.ptr, "refer", 5) != 0)
    return FALSE;
  if (self->refer_task == NULL)
    {
      /* RFC 6665 §4.1.3: no subscription of ours. */
      *reply_status = 481;
      return TRUE;
    }
  status = sipfrag_status (notify);
  if (status >= 200 && status < 300)
    refer_done (self, NULL);
  else if (status >= 300)
    refer_done (self, g_error_new (HAIL_SIP_STATUS_ERROR, (gint) status,
                                   "The transfer target answered %u", status));
  return TRUE;
}

static void
notify_sent_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  HailSipSession *self = HAIL_SIP_SESSION (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(HailSipMessage) response = NULL;

  response = _hail_sip_session_send_finish (self, result, &error);
  if (response == NULL)
    g_debug ("NOTIFY of a transfer failed: %s", error->message);
  if (!GPOINTER_TO_INT (user_data))
    return;
  /* The final NOTIFY is answered (or timed out): a hang-up asked for
   * meanwhile may now go, after the transferor learnt the outcome. */
  self->final_notify_pending = FALSE;
  if (self->bye_wanted && self->state == HAIL_SIP_SESSION_STATE_ESTABLISHED)
    _hail_sip_session_send_bye (self);
}

void
hail_sip_session_notify_refer (HailSipSession *self,
                               guint           status)
{
  g_autofree char *frag = NULL;
  g_autoptr(GBytes) body = NULL;
  const char *state = status >= 200 ? "terminated;reason=noresource" : "active;expires=60";
  const char *headers[] = { "Event", "refer", "Subscription-State", state,
                            "Content-Type", "message/sipfrag;version=2.0", NULL };

  g_return_if_fail (HAIL_IS_SIP_SESSION (self));
  g_return_if_fail (status >= 100 && status <= 699);

  if (self->dialog == NULL || self->state == HAIL_SIP_SESSION_STATE_TERMINATED)
    return;
  frag = g_strdup_printf ("SIP/2.0 %u %s\r\n", status, hail_sip_status_get_reason_phrase (status));
  body = g_bytes_new (frag, strlen (frag));
  if (status >= 200)
    self->final_notify_pending = TRUE;
  _hail_sip_session_send_body_async (self, "NOTIFY", headers, body, notify_sent_cb,
                                     GINT_TO_POINTER (status >= 200));
}

void
_hail_sip_session_receive_refer (HailSipSession           *self,
                                 HailSipServerTransaction *txn,
                                 HailSipMessage           *refer)
{
  HailSipSpan value;
  HailSipNameAddr addr;
  g_autoptr(HailSipUri) target = NULL;
  g_autoptr(GError) error = NULL;

  if (!hail_sip_message_get_header (refer, "Refer-To", &value)
      || !hail_sip_name_addr_parse (&addr, value.ptr, value.len, NULL)
      || (target = hail_sip_name_addr_get_uri (&addr)) == NULL
      || hail_sip_uri_get_host (target) == NULL)
    {
      if (!hail_sip_server_transaction_reply (txn, 400, self->local_tag, &error))
        g_debug ("Could not answer REFER: %s", error->message);
      return;
    }
  if (!hail_sip_server_transaction_reply (txn, 202, self->local_tag, &error))
    {
      g_debug ("Could not answer REFER: %s", error->message);
      return;
    }
  /* RFC 3515 §2.4.4: the first NOTIFY comes at once. */
  hail_sip_session_notify_refer (self, 100);
  g_signal_emit (self, _hail_sip_session_signals[SESSION_SIGNAL_REFER], 0,
                 hail_sip_uri_to_string (target));
}

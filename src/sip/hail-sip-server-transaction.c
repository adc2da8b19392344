/* hail-sip-server-transaction.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hail-sip-server-transaction.h"

#include "hail-sip-error.h"
#include "hail-sip-message-builder.h"
#include "hail-sip-stack-private.h"

/* RFC 3261 §17.2.1: a UAS that will not answer an INVITE within 200 ms
 * sends 100 Trying so the client stops retransmitting. */
#define TRYING_DELAY_MS 200

enum {
  SIGNAL_CANCELLED,
  N_SIGNALS
};

struct _HailSipServerTransaction
{
  GObject parent_instance;

  /* Owned references. */
  GWeakRef          stack;
  HailSipMessage   *request;
  HailSipReplyPath  path;
  GBytes           *last_response;
  char             *key;

  /* State. */
  HailSipTransactionState state;
  gboolean  invite;
  gboolean  reliable;
  gboolean  registered;
  guint     t1, t2, t4;
  guint     interval;
  guint     trying_id;
  guint     retransmit_id;   /* Timer G. */
  guint     timeout_id;      /* Timer H. */
  guint     linger_id;       /* Timers I, J and L. */
};

G_DEFINE_FINAL_TYPE (HailSipServerTransaction, hail_sip_server_transaction, G_TYPE_OBJECT)

static guint signals[N_SIGNALS];

static void
clear_timers (HailSipServerTransaction *self)
{
  g_clear_handle_id (&self->trying_id, g_source_remove);
  g_clear_handle_id (&self->retransmit_id, g_source_remove);
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  g_clear_handle_id (&self->linger_id, g_source_remove);
}

static void
terminate (HailSipServerTransaction *self)
{
  g_autoptr(HailSipStack) stack = g_weak_ref_get (&self->stack);

  self->state = HAIL_SIP_TRANSACTION_STATE_TERMINATED;
  clear_timers (self);
  if (stack != NULL && self->registered)
    {
      self->registered = FALSE;
      /* May drop the last reference to self: nothing may follow. */
      _hail_sip_stack_remove_server (stack, self);
    }
}

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(HailSipServerTransaction) self = user_data;
  g_autoptr(GError) error = NULL;

  if (hail_sip_stack_send_finish (HAIL_SIP_STACK (source), result, &error))
    return;
  /* §17.2.4: a transport failure ends the transaction. */
  g_debug ("Sending a response for %s failed: %s", self->key, error->message);
  if (self->state != HAIL_SIP_TRANSACTION_STATE_TERMINATED)
    terminate (self);
}

static void
send_last (HailSipServerTransaction *self)
{
  g_autoptr(HailSipStack) stack = g_weak_ref_get (&self->stack);

  if (stack == NULL || self->last_response == NULL)
    return;
  _hail_sip_stack_send_reply (stack, &self->path, self->last_response, sent_cb,
                              g_object_ref (self));
}

static gboolean
linger_cb (gpointer user_data)
{
  HailSipServerTransaction *self = user_data;

  self->linger_id = 0;
  terminate (self);
  return G_SOURCE_REMOVE;
}

static void
linger (HailSipServerTransaction *self,
        guint                     ms)
{
  g_clear_handle_id (&self->retransmit_id, g_source_remove);
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  g_clear_handle_id (&self->linger_id, g_source_remove);
  if (ms == 0)
    terminate (self);
  else
    self->linger_id = g_timeout_add (ms, linger_cb, self);
}

/* Timer G. */
static gboolean
retransmit_cb (gpointer user_data)
{
  HailSipServerTransaction *self = user_data;

  send_last (self);
  self->interval = MIN (self->interval * 2, self->t2);
  self->retransmit_id = g_timeout_add (self->interval, retransmit_cb, self);
  return G_SOURCE_REMOVE;
}

/* Timer H: the ACK never came. */
static gboolean
timeout_cb (gpointer user_data)
{
  HailSipServerTransaction *self = user_data;

  self->timeout_id = 0;
  g_debug ("No ACK for %s within %u ms (timer H)", self->key, 64 * self->t1);
  terminate (self);
  return G_SOURCE_REMOVE;
}

static gboolean
trying_cb (gpointer user_data)
{
  HailSipServerTransaction *self = user_data;
  g_autoptr(GError) error = NULL;

  self->trying_id = 0;
  if (self->last_response == NULL && self->state == HAIL_SIP_TRANSACTION_STATE_PROCEEDING
      && !hail_sip_server_transaction_reply (self, 100, NULL, &error))
    g_debug ("Could not send 100 Trying: %s", error->message);
  return G_SOURCE_REMOVE;
}

void
_hail_sip_server_transaction_receive (HailSipServerTransaction *self,
                                      HailSipMessage           *request)
{
  if (hail_sip_message_is_method (request, "ACK"))
    {
      if (!self->invite || self->state != HAIL_SIP_TRANSACTION_STATE_COMPLETED)
        return;
      /* §17.2.1: Confirmed; timer I absorbs further ACKs. */
      self->state = HAIL_SIP_TRANSACTION_STATE_CONFIRMED;
      linger (self, self->reliable ? 0 : self->t4);
      return;
    }
  switch (self->state)
    {
    case HAIL_SIP_TRANSACTION_STATE_PROCEEDING:
    case HAIL_SIP_TRANSACTION_STATE_COMPLETED:
      /* §17.2.1, §17.2.2: the response was lost: send it again. */
      send_last (self);
      break;
    default:
      /* Trying, Confirmed, Accepted (RFC 6026 §8.7): absorbed. */
      break;
    }
}

const char *
_hail_sip_server_transaction_get_key (HailSipServerTransaction *self)
{
  return self->key;
}

static void
hail_sip_server_transaction_dispose (GObject *object)
{
  HailSipServerTransaction *self = HAIL_SIP_SERVER_TRANSACTION (object);

  clear_timers (self);

  G_OBJECT_CLASS (hail_sip_server_transaction_parent_class)->dispose (object);
}

static void
hail_sip_server_transaction_finalize (GObject *object)
{
  HailSipServerTransaction *self = HAIL_SIP_SERVER_TRANSACTION (object);

  g_weak_ref_clear (&self->stack);
  g_clear_pointer (&self->request, hail_sip_message_unref);
  g_clear_pointer (&self->last_response, g_bytes_unref);
  _hail_sip_reply_path_clear (&self->path);
  g_free (self->key);

  G_OBJECT_CLASS (hail_sip_server_transaction_parent_class)->finalize (object);
}

static void
hail_sip_server_transaction_class_init (HailSipServerTransactionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hail_sip_server_transaction_dispose;
  object_class->finalize = hail_sip_server_transaction_finalize;

  signals[SIGNAL_CANCELLED] =
    g_signal_new ("cancelled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
hail_sip_server_transaction_init (HailSipServerTransaction *self)
{
  g_weak_ref_init (&self->stack, NULL);
}

HailSipServerTransaction *
_hail_sip_server_transaction_new (HailSipStack           *stack,
                                  HailSipMessage         *request,
                                  const HailSipReplyPath *path)
{
  HailSipServerTransaction *self = g_object_new (HAIL_TYPE_SIP_SERVER_TRANSACTION, NULL);

  g_weak_ref_set (&self->stack, stack);
  self->request = hail_sip_message_ref (request);
  self->key = _hail_sip_server_key (request, FALSE);
  self->path.kind = path->kind;
  self->path.flow = path->flow != NULL ? g_object_ref (path->flow) : NULL;
  self->path.remote = g_object_ref (path->remote);
  self->invite = hail_sip_message_is_method (request, "INVITE");
  self->reliable = hail_sip_transport_kind_is_stream (path->kind);
  self->registered = TRUE;
  self->t1 = hail_sip_stack_get_t1 (stack);
  self->t2 = hail_sip_stack_get_t2 (stack);
  self->t4 = hail_sip_stack_get_t4 (stack);
  if (self->invite)
    {
      self->state = HAIL_SIP_TRANSACTION_STATE_PROCEEDING;
      self->trying_id = g_timeout_add (TRYING_DELAY_MS, trying_cb, self);
    }
  else
    {
      self->state = HAIL_SIP_TRANSACTION_STATE_TRYING;
    }
  return self;
}

HailSipMessage *
hail_sip_server_transaction_get_request (HailSipServerTransaction *self)
{
  g_return_val_if_fail (HAIL_IS_SIP_SERVER_TRANSACTION (self), NULL);

  return self->request;
}

HailSipTransactionState
hail_sip_server_transaction_get_state (HailSipServerTransaction *self)
{
  g_return_val_if_fail (HAIL_IS_SIP_SERVER_TRANSACTION (self),
                        HAIL_SIP_TRANSACTION_STATE_TERMINATED);

  return self->state;
}

gboolean
hail_sip_server_transaction_respond (HailSipServerTransaction  *self,
                                     HailSipMessage            *response,
                                     GError                   **error)
{
  guint status;

  g_return_val_if_fail (HAIL_IS_SIP_SERVER_TRANSACTION (self), FALSE);
  g_return_val_if_fail (response != NULL && !hail_sip_message_is_request (response), FALSE);

  status = hail_sip_message_get_status (response);
  if (!(self->state == HAIL_SIP_TRANSACTION_STATE_TRYING
        || self->state == HAIL_SIP_TRANSACTION_STATE_PROCEEDING
        || (self->state == HAIL_SIP_TRANSACTION_STATE_ACCEPTED && status >= 200 && status < 300)))
    {
      g_set_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_UNSUPPORTED,
                   "Cannot send a %u response: the transaction is %s", status,
                   g_enum_to_string (HAIL_TYPE_SIP_TRANSACTION_STATE, self->state));
      return FALSE;
    }

  g_object_ref (self);
  g_clear_pointer (&self->last_response, g_bytes_unref);
  self->last_response = hail_sip_message_get_bytes (response);
  g_clear_handle_id (&self->trying_id, g_source_remove);
  send_last (self);

  if (status < 200)
    {
      self->state = HAIL_SIP_TRANSACTION_STATE_PROCEEDING;
    }
  else if (self->invite && status < 300)
    {
      /* RFC 6026 §7.1: Accepted until timer L; the dialog layer
       * retransmits the 2xx. */
      if (self->state != HAIL_SIP_TRANSACTION_STATE_ACCEPTED)
        {
          self->state = HAIL_SIP_TRANSACTION_STATE_ACCEPTED;
          linger (self, 64 * self->t1);
        }
    }
  else if (self->invite)
    {
      self->state = HAIL_SIP_TRANSACTION_STATE_COMPLETED;
      if (!self->reliable)
        {
          self->interval = self->t1;
          self->retransmit_id = g_timeout_add (self->interval, retransmit_cb, self);
        }
      self->timeout_id = g_timeout_add (64 * self->t1, timeout_cb, self);
    }
  else
    {
      /* §17.2.2: timer J, 64*T1 on UDP, 0 on a reliable transport. */
      self->state = HAIL_SIP_TRANSACTION_STATE_COMPLETED;
      linger (self, self->reliable ? 0 : 64 * self->t1);
    }
  g_object_unref (self);
  return TRUE;
}

gboolean
hail_sip_server_transaction_reply (HailSipServerTransaction  *self,
                                   guint                      status,
                                   const char                *to_tag,
                                   GError                   **error)
{
  g_autoptr(HailSipMessageBuilder) builder = NULL;
  g_autoptr(HailSipMessage) response = NULL;

  g_return_val_if_fail (HAIL_IS_SIP_SERVER_TRANSACTION (self), FALSE);
  g_return_val_if_fail (status >= 100 && status <= 699, FALSE);

  builder = hail_sip_message_builder_new_reply (self->request, status, NULL,
                                                status == 100 ? NULL : to_tag);
  response = hail_sip_message_builder_finish (builder, error);
  if (response == NULL)
    return FALSE;
  return hail_sip_server_transaction_respond (self, response, error);
}

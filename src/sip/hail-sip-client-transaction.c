/* hail-sip-client-transaction.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hail-sip-client-transaction.h"

#include "hail-sip-error.h"
#include "hail-sip-message-builder.h"
#include "hail-sip-stack-private.h"

enum {
  SIGNAL_PROVISIONAL,
  SIGNAL_RESPONSE,
  N_SIGNALS
};

struct _HailSipClientTransaction
{
  GObject parent_instance;

  /* Owned references. */
  GWeakRef         stack;
  HailSipMessage  *request;
  GBytes          *request_bytes;
  HailSipTarget   *target;
  GBytes          *ack_bytes;      /* The ACK of our non-2xx final response. */
  GTask           *task;           /* Pending run, until the final response. */
  GCancellable    *cancellable;
  char            *key;

  /* State. */
  HailSipTransactionState state;
  gboolean  invite;
  gboolean  reliable;
  gboolean  registered;
  guint     t1, t2, t4;
  guint     interval;              /* Current retransmission interval, ms. */
  guint     retransmit_id;         /* Timer A or E. */
  guint     timeout_id;            /* Timer B or F. */
  guint     linger_id;             /* Timer D, K or M. */
  gulong    cancelled_id;
  gulong    flow_closed_id;
  HailSipTransport *transport;     /* Borrowed while flow_closed_id is set. */
  guint     cancel_idle_id;
};

G_DEFINE_FINAL_TYPE (HailSipClientTransaction, hail_sip_client_transaction, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (HailSipTransactionState, hail_sip_transaction_state,
  G_DEFINE_ENUM_VALUE (HAIL_SIP_TRANSACTION_STATE_CALLING, "calling"),
  G_DEFINE_ENUM_VALUE (HAIL_SIP_TRANSACTION_STATE_TRYING, "trying"),
  G_DEFINE_ENUM_VALUE (HAIL_SIP_TRANSACTION_STATE_PROCEEDING, "proceeding"),
  G_DEFINE_ENUM_VALUE (HAIL_SIP_TRANSACTION_STATE_COMPLETED, "completed"),
  G_DEFINE_ENUM_VALUE (HAIL_SIP_TRANSACTION_STATE_CONFIRMED, "confirmed"),
  G_DEFINE_ENUM_VALUE (HAIL_SIP_TRANSACTION_STATE_ACCEPTED, "accepted"),
  G_DEFINE_ENUM_VALUE (HAIL_SIP_TRANSACTION_STATE_TERMINATED, "terminated"))

static guint signals[N_SIGNALS];

static void
clear_timers (HailSipClientTransaction *self)
{
  g_clear_handle_id (&self->retransmit_id, g_source_remove);
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  g_clear_handle_id (&self->linger_id, g_source_remove);
  g_clear_handle_id (&self->cancel_idle_id, g_source_remove);
}

static void
disconnect_transport (HailSipClientTransaction *self)
{
  if (self->flow_closed_id != 0)
    g_clear_signal_handler (&self->flow_closed_id, self->transport);
  g_clear_object (&self->transport);
}

static void
disconnect_cancellable (HailSipClientTransaction *self)
{
  if (self->cancellable != NULL && self->cancelled_id != 0)
    g_cancellable_disconnect (self->cancellable, self->cancelled_id);
  self->cancelled_id = 0;
  g_clear_object (&self->cancellable);
}

/* Ends the machine: no more timers, out of the stack's table. */
static void
terminate (HailSipClientTransaction *self)
{
  g_autoptr(HailSipStack) stack = g_weak_ref_get (&self->stack);

  self->state = HAIL_SIP_TRANSACTION_STATE_TERMINATED;
  clear_timers (self);
  disconnect_cancellable (self);
  disconnect_transport (self);
  if (stack != NULL && self->registered)
    {
      self->registered = FALSE;
      _hail_sip_stack_remove_client (stack, self);
    }
}

static void
complete (HailSipClientTransaction *self,
          HailSipMessage           *response,
          GError                   *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);

  if (task == NULL)
    {
      g_clear_error (&error);
      return;
    }
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, hail_sip_message_ref (response),
                           (GDestroyNotify) hail_sip_message_unref);
}

static void
fail (HailSipClientTransaction *self,
      GError                   *error)
{
  g_object_ref (self);
  terminate (self);
  complete (self, NULL, error);
  g_object_unref (self);
}

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(HailSipClientTransaction) self = user_data;
  g_autoptr(GError) error = NULL;

  if (hail_sip_stack_send_finish (HAIL_SIP_STACK (source), result, &error))
    return;
  g_debug ("Sending %s failed: %s", self->key, error->message);
  /* §17.1.4: a transport failure ends the transaction; the user sees it as
   * the error instead of waiting for timer B or F. */
  if (self->state == HAIL_SIP_TRANSACTION_STATE_CALLING
      || self->state == HAIL_SIP_TRANSACTION_STATE_TRYING
      || self->state == HAIL_SIP_TRANSACTION_STATE_PROCEEDING)
    {
      GError *failure;

      if (error->domain == HAIL_SIP_ERROR)
        failure = g_error_copy (error);
      else
        failure = g_error_new (HAIL_SIP_ERROR, HAIL_SIP_ERROR_TRANSPORT, "%s", error->message);
      fail (self, failure);
    }
}

static void
send_bytes (HailSipClientTransaction *self,
            GBytes                   *bytes)
{
  g_autoptr(HailSipStack) stack = g_weak_ref_get (&self->stack);

  if (stack == NULL)
    return;
  hail_sip_stack_send_async (stack, self->target, bytes, NULL, sent_cb, g_object_ref (self));
}

/* §17.1.4: on a reliable transport, the connection breaking before the
 * final response is a transport error; do not wait for timer B or F. */
static void
flow_closed_cb (HailSipTransport         *transport,
                HailSipFlow              *flow,
                const GError             *error,
                HailSipClientTransaction *self)
{
  GInetSocketAddress *remote = hail_sip_flow_get_remote_address (flow);
  g_autofree char *peer = NULL;

  if (hail_sip_flow_get_kind (flow) != self->target->kind
      || g_inet_socket_address_get_port (remote)
         != g_inet_socket_address_get_port (self->target->address)
      || !g_inet_address_equal (g_inet_socket_address_get_address (remote),
                                g_inet_socket_address_get_address (self->target->address)))
    return;
  if (self->state != HAIL_SIP_TRANSACTION_STATE_CALLING
      && self->state != HAIL_SIP_TRANSACTION_STATE_TRYING
      && self->state != HAIL_SIP_TRANSACTION_STATE_PROCEEDING)
    return;
  peer = hail_sip_address_to_string (remote);
  fail (self, g_error_new (HAIL_SIP_ERROR, HAIL_SIP_ERROR_TRANSPORT,
                           "The connection to %s closed before the final response%s%s", peer,
                           error != NULL ? ": " : "", error != NULL ? error->message : ""));
}

static gboolean retransmit_cb (gpointer user_data);

static void
arm_retransmit (HailSipClientTransaction *self)
{
  g_clear_handle_id (&self->retransmit_id, g_source_remove);
  self->retransmit_id = g_timeout_add (self->interval, retransmit_cb, self);
}

/* Timers A and E. */
static gboolean
retransmit_cb (gpointer user_data)
{
  HailSipClientTransaction *self = user_data;

  self->retransmit_id = 0;
  send_bytes (self, self->request_bytes);
  if (self->invite)
    /* §17.1.1.2: timer A doubles each time. */
    self->interval *= 2;
  else if (self->state == HAIL_SIP_TRANSACTION_STATE_PROCEEDING)
    /* §17.1.2.2: in Proceeding, every T2. */
    self->interval = self->t2;
  else
    self->interval = MIN (self->interval * 2, self->t2);
  arm_retransmit (self);
  return G_SOURCE_REMOVE;
}

/* Timers B and F. */
static gboolean
timeout_cb (gpointer user_data)
{
  HailSipClientTransaction *self = user_data;

  self->timeout_id = 0;
  fail (self, g_error_new (HAIL_SIP_ERROR, HAIL_SIP_ERROR_TIMEOUT,
                           "No final response within %u ms (timer %s)",
                           64 * self->t1, self->invite ? "B" : "F"));
  return G_SOURCE_REMOVE;
}

/* Timers D, K and M. */
static gboolean
linger_cb (gpointer user_data)
{
  HailSipClientTransaction *self = user_data;

  self->linger_id = 0;
  terminate (self);
  return G_SOURCE_REMOVE;
}

static void
linger (HailSipClientTransaction *self,
        guint                     ms)
{
  g_clear_handle_id (&self->retransmit_id, g_source_remove);
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  if (ms == 0)
    {
      terminate (self);
      return;
    }
  self->linger_id = g_timeout_add (ms, linger_cb, self);
}

static gboolean
add_raw_header (HailSipMessageBuilder *builder,
                const HailSipMessage  *message,
                const char            *name)
{
  HailSipSpan value;

  if (!hail_sip_message_get_header (message, name, &value))
    return FALSE;
  hail_sip_message_builder_add_header_len (builder, name, value.ptr, value.len);
  return TRUE;
}

/* §17.1.1.3: the ACK of a non-2xx final response belongs to the
 * transaction: same Request-URI, Call-ID, From, CSeq number, top Via and
 * Route; To from the response. */
static GBytes *
build_ack (HailSipClientTransaction  *self,
           HailSipMessage            *response,
           GError                   **error)
{
  HailSipSpan uri_span = hail_sip_message_get_request_uri (self->request);
  const HailSipCSeq *cseq = hail_sip_message_get_cseq (self->request);
  g_autoptr(HailSipUri) uri = NULL;
  g_autoptr(HailSipMessageBuilder) builder = NULL;
  g_autofree char *cseq_value = NULL;
  HailSipHeaderIter iter;
  HailSipSpan value;

  uri = hail_sip_uri_parse (uri_span.ptr, (gssize) uri_span.len, error);
  if (uri == NULL)
    return NULL;
  builder = hail_sip_message_builder_new_request ("ACK", uri);
  hail_sip_message_iter_init (self->request, &iter, "Via");
  if (hail_sip_header_iter_next (&iter, &value))
    hail_sip_message_builder_add_header_len (builder, "Via", value.ptr, value.len);
  hail_sip_message_builder_add_header (builder, "Max-Forwards", "70");
  add_raw_header (builder, self->request, "From");
  add_raw_header (builder, response, "To");
  add_raw_header (builder, self->request, "Call-ID");
  cseq_value = g_strdup_printf ("%u ACK", cseq->number);
  hail_sip_message_builder_add_header (builder, "CSeq", cseq_value);
  hail_sip_message_iter_init (self->request, &iter, "Route");
  while (hail_sip_header_iter_next (&iter, &value))
    hail_sip_message_builder_add_header_len (builder, "Route", value.ptr, value.len);
  return hail_sip_message_builder_to_bytes (builder, error);
}

void
_hail_sip_client_transaction_receive (HailSipClientTransaction *self,
                                      HailSipMessage           *response)
{
  guint status = hail_sip_message_get_status (response);

  if (status < 200)
    {
      if (self->state != HAIL_SIP_TRANSACTION_STATE_CALLING
          && self->state != HAIL_SIP_TRANSACTION_STATE_TRYING
          && self->state != HAIL_SIP_TRANSACTION_STATE_PROCEEDING)
        return;
      if (self->invite)
        {
          /* §17.1.1.2: a provisional response stops timers A and B. */
          g_clear_handle_id (&self->retransmit_id, g_source_remove);
          g_clear_handle_id (&self->timeout_id, g_source_remove);
        }
      self->state = HAIL_SIP_TRANSACTION_STATE_PROCEEDING;
      g_signal_emit (self, signals[SIGNAL_PROVISIONAL], 0, response);
      return;
    }

  if (self->invite && status < 300)
    {
      if (self->state == HAIL_SIP_TRANSACTION_STATE_ACCEPTED)
        {
          /* RFC 6026 §8.4: retransmitted or forked 2xx go to the dialog. */
          g_signal_emit (self, signals[SIGNAL_RESPONSE], 0, response);
          return;
        }
      if (self->state != HAIL_SIP_TRANSACTION_STATE_CALLING
          && self->state != HAIL_SIP_TRANSACTION_STATE_PROCEEDING)
        return;
      /* RFC 6026 §7.2: Accepted, absorbing nothing, for timer M. */
      self->state = HAIL_SIP_TRANSACTION_STATE_ACCEPTED;
      linger (self, 64 * self->t1);
      complete (self, response, NULL);
      return;
    }

  if (self->state == HAIL_SIP_TRANSACTION_STATE_COMPLETED)
    {
      /* A retransmitted final response: §17.1.1.2 re-sends the ACK. */
      if (self->invite && self->ack_bytes != NULL)
        send_bytes (self, self->ack_bytes);
      return;
    }
  if (self->state != HAIL_SIP_TRANSACTION_STATE_CALLING
      && self->state != HAIL_SIP_TRANSACTION_STATE_TRYING
      && self->state != HAIL_SIP_TRANSACTION_STATE_PROCEEDING)
    return;

  self->state = HAIL_SIP_TRANSACTION_STATE_COMPLETED;
  if (self->invite)
    {
      g_autoptr(GError) error = NULL;

      self->ack_bytes = build_ack (self, response, &error);
      if (self->ack_bytes != NULL)
        send_bytes (self, self->ack_bytes);
      else
        g_debug ("Could not build the ACK: %s", error->message);
      /* Timer D: at least 32 s on UDP (64*T1 at the default T1), 0 on a
       * reliable transport. */
      linger (self, self->reliable ? 0 : 64 * self->t1);
    }
  else
    {
      /* Timer K: T4 on UDP, 0 on a reliable transport. */
      linger (self, self->reliable ? 0 : self->t4);
    }
  g_object_ref (self);
  complete (self, response, NULL);
  g_object_unref (self);
}

const char *
_hail_sip_client_transaction_get_key (HailSipClientTransaction *self)
{
  return self->key;
}

static gboolean
cancel_idle_cb (gpointer user_data)
{
  HailSipClientTransaction *self = user_data;

  self->cancel_idle_id = 0;
  if (self->task != NULL)
    fail (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                     "The request was cancelled"));
  return G_SOURCE_REMOVE;
}

static void
cancelled_cb (GCancellable *cancellable,
              gpointer      user_data)
{
  HailSipClientTransaction *self = user_data;

  /* Runs in the thread that cancelled; the machine lives on the main
   * context, and g_cancellable_disconnect() may not run from here. */
  if (self->cancel_idle_id == 0)
    self->cancel_idle_id = g_idle_add (cancel_idle_cb, self);
}

static void
hail_sip_client_transaction_dispose (GObject *object)
{
  HailSipClientTransaction *self = HAIL_SIP_CLIENT_TRANSACTION (object);

  clear_timers (self);
  disconnect_cancellable (self);
  disconnect_transport (self);
  if (self->task != NULL)
    complete (self, NULL, g_error_new_literal (HAIL_SIP_ERROR, HAIL_SIP_ERROR_TRANSPORT,
                                               "The SIP stack was shut down"));

  G_OBJECT_CLASS (hail_sip_client_transaction_parent_class)->dispose (object);
}

static void
hail_sip_client_transaction_finalize (GObject *object)
{
  HailSipClientTransaction *self = HAIL_SIP_CLIENT_TRANSACTION (object);

  g_weak_ref_clear (&self->stack);
  g_clear_pointer (&self->request, hail_sip_message_unref);
  g_clear_pointer (&self->request_bytes, g_bytes_unref);
  g_clear_pointer (&self->ack_bytes, g_bytes_unref);
  g_clear_pointer (&self->target, hail_sip_target_free);
  g_free (self->key);

  G_OBJECT_CLASS (hail_sip_client_transaction_parent_class)->finalize (object);
}

static void
hail_sip_client_transaction_class_init (HailSipClientTransactionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hail_sip_client_transaction_dispose;
  object_class->finalize = hail_sip_client_transaction_finalize;

  signals[SIGNAL_PROVISIONAL] =
    g_signal_new ("provisional", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, HAIL_TYPE_SIP_MESSAGE);
  signals[SIGNAL_RESPONSE] =
    g_signal_new ("response", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, HAIL_TYPE_SIP_MESSAGE);
}

static void
hail_sip_client_transaction_init (HailSipClientTransaction *self)
{
  g_weak_ref_init (&self->stack, NULL);
}

HailSipClientTransaction *
hail_sip_client_transaction_new (HailSipStack        *stack,
                                 HailSipMessage      *request,
                                 const HailSipTarget *target)
{
  HailSipClientTransaction *self;

  g_return_val_if_fail (HAIL_IS_SIP_STACK (stack), NULL);
  g_return_val_if_fail (request != NULL && hail_sip_message_is_request (request), NULL);
  g_return_val_if_fail (!hail_sip_message_is_method (request, "ACK"), NULL);
  g_return_val_if_fail (target != NULL, NULL);

  self = g_object_new (HAIL_TYPE_SIP_CLIENT_TRANSACTION, NULL);
  g_weak_ref_set (&self->stack, stack);
  self->request = hail_sip_message_ref (request);
  self->request_bytes = hail_sip_message_get_bytes (request);
  self->target = hail_sip_target_copy (target);
  self->key = _hail_sip_client_key (request);
  self->invite = hail_sip_message_is_method (request, "INVITE");
  self->reliable = hail_sip_transport_kind_is_stream (target->kind);
  self->state = self->invite ? HAIL_SIP_TRANSACTION_STATE_CALLING
                             : HAIL_SIP_TRANSACTION_STATE_TRYING;
  return self;
}

HailSipMessage *
hail_sip_client_transaction_get_request (HailSipClientTransaction *self)
{
  g_return_val_if_fail (HAIL_IS_SIP_CLIENT_TRANSACTION (self), NULL);

  return self->request;
}

const HailSipTarget *
hail_sip_client_transaction_get_target (HailSipClientTransaction *self)
{
  g_return_val_if_fail (HAIL_IS_SIP_CLIENT_TRANSACTION (self), NULL);

  return self->target;
}

HailSipTransactionState
hail_sip_client_transaction_get_state (HailSipClientTransaction *self)
{
  g_return_val_if_fail (HAIL_IS_SIP_CLIENT_TRANSACTION (self),
                        HAIL_SIP_TRANSACTION_STATE_TERMINATED);

  return self->state;
}

void
hail_sip_client_transaction_run_async (HailSipClientTransaction *self,
                                       GCancellable             *cancellable,
                                       GAsyncReadyCallback       callback,
                                       gpointer                  user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(HailSipStack) stack = NULL;
  GError *error = NULL;

  g_return_if_fail (HAIL_IS_SIP_CLIENT_TRANSACTION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hail_sip_client_transaction_run_async);
  stack = g_weak_ref_get (&self->stack);
  if (self->task != NULL || self->registered
      || self->state == HAIL_SIP_TRANSACTION_STATE_TERMINATED)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               "The transaction already ran");
      return;
    }
  if (stack == NULL)
    {
      g_task_return_new_error (task, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TRANSPORT,
                               "The SIP stack was shut down");
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    return;
  if (!_hail_sip_stack_add_client (stack, self, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  self->registered = TRUE;
  self->task = g_steal_pointer (&task);
  self->t1 = hail_sip_stack_get_t1 (stack);
  self->t2 = hail_sip_stack_get_t2 (stack);
  self->t4 = hail_sip_stack_get_t4 (stack);
  if (cancellable != NULL)
    {
      self->cancellable = g_object_ref (cancellable);
      self->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (cancelled_cb), self,
                                                  NULL);
    }

  if (self->reliable)
    {
      self->transport = g_object_ref (hail_sip_stack_get_transport (stack));
      self->flow_closed_id = g_signal_connect (self->transport, "flow-closed",
                                               G_CALLBACK (flow_closed_cb), self);
    }
  send_bytes (self, self->request_bytes);
  if (!self->reliable)
    {
      /* §17.1.1.2, §17.1.2.2: timers A and E start at T1; a reliable
       * transport retransmits for us. */
      self->interval = self->t1;
      arm_retransmit (self);
    }
  self->timeout_id = g_timeout_add (64 * self->t1, timeout_cb, self);
}

HailSipMessage *
hail_sip_client_transaction_run_finish (HailSipClientTransaction  *self,
                                        GAsyncResult              *result,
                                        GError                   **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

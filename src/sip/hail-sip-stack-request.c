/* hail-sip-stack-request.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Requests outside dialogs, with digest authentication: the glue between a
 * client transaction and HailSipAuth.
 */
#include "config.h"

#include "hail-sip-stack.h"

#include "hail-sip-client-transaction.h"
#include "hail-sip-error.h"
#include "hail-sip-message-builder.h"

#include <string.h>

typedef struct {
  char          *method;
  HailSipUri    *request_uri;
  char          *uri_string;
  HailSipTarget *target;
  char          *from;
  char          *to;
  char          *call_id;
  guint32        cseq;
  GStrv          headers;
  char          *content_type;
  GBytes        *body;
  HailSipAuth   *auth;
  GPtrArray     *sent;           /* HailSipAuthHeader*: what the request carries. */
  guint          attempts;
  guint          last_status;
} SendData;

static void
send_data_free (SendData *data)
{
  g_free (data->method);
  g_clear_pointer (&data->request_uri, hail_sip_uri_unref);
  g_free (data->uri_string);
  g_clear_pointer (&data->target, hail_sip_target_free);
  g_free (data->from);
  g_free (data->to);
  g_free (data->call_id);
  g_strfreev (data->headers);
  g_free (data->content_type);
  g_clear_pointer (&data->body, g_bytes_unref);
  g_clear_object (&data->auth);
  g_clear_pointer (&data->sent, g_ptr_array_unref);
  g_free (data);
}

static HailSipMessage *
build_attempt (HailSipStack   *stack,
               SendData       *data,
               GError        **error)
{
  g_autoptr(HailSipMessageBuilder) builder = NULL;
  g_autofree char *branch = hail_sip_stack_new_branch ();
  g_autofree char *via = NULL;
  g_autofree char *cseq = NULL;

  via = hail_sip_stack_dup_via (stack, data->target, branch, error);
  if (via == NULL)
    return NULL;
  builder = hail_sip_message_builder_new_request (data->method, data->request_uri);
  hail_sip_message_builder_add_header (builder, "Via", via);
  hail_sip_message_builder_add_header (builder, "Max-Forwards", "70");
  hail_sip_message_builder_add_header (builder, "From", data->from);
  hail_sip_message_builder_add_header (builder, "To", data->to);
  hail_sip_message_builder_add_header (builder, "Call-ID", data->call_id);
  cseq = g_strdup_printf ("%u %s", data->cseq, data->method);
  hail_sip_message_builder_add_header (builder, "CSeq", cseq);
  for (guint i = 0;
       data->headers != NULL && data->headers[i] != NULL && data->headers[i + 1] != NULL;
       i += 2)
    hail_sip_message_builder_add_header (builder, data->headers[i], data->headers[i + 1]);
  for (guint i = 0; data->sent != NULL && i < data->sent->len; i++)
    {
      HailSipAuthHeader *header = g_ptr_array_index (data->sent, i);

      hail_sip_message_builder_add_header (builder, header->name, header->value);
    }
  hail_sip_message_builder_add_header (builder, "User-Agent", "Hail/" PACKAGE_VERSION);
  if (data->body != NULL)
    hail_sip_message_builder_set_body (builder, data->content_type, data->body);
  return hail_sip_message_builder_finish (builder, error);
}

static void
fill_auth_request (SendData           *data,
                   HailSipAuthRequest *request)
{
  gsize len = 0;

  request->method = data->method;
  request->uri = data->uri_string;
  request->body = data->body != NULL ? g_bytes_get_data (data->body, &len) : NULL;
  request->body_len = len;
  request->sent = data->sent;
}

/* Replaces what the request carried for a realm with the new answer. */
static void
merge_auth_headers (SendData  *data,
                    GPtrArray *answers)
{
  for (guint i = 0; i < answers->len; i++)
    {
      HailSipAuthHeader *answer = g_ptr_array_index (answers, i);

      for (guint j = 0; j < data->sent->len; j++)
        {
          HailSipAuthHeader *old = g_ptr_array_index (data->sent, j);

          if (g_str_equal (old->name, answer->name) && g_str_equal (old->realm, answer->realm))
            {
              g_ptr_array_remove_index (data->sent, j);
              break;
            }
        }
      g_ptr_array_add (data->sent, g_ptr_array_steal_index (answers, i));
      i--;
    }
}

static void attempt (GTask *task);

static void
run_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SendData *data = g_task_get_task_data (task);
  g_autoptr(HailSipMessage) response = NULL;
  g_autoptr(GPtrArray) challenges = NULL;
  g_autoptr(GPtrArray) answers = NULL;
  GError *error = NULL;
  HailSipAuthRequest request;
  HailSipAuthKind kind;
  HailSipHeaderId wanted;
  guint status;

  response = hail_sip_client_transaction_run_finish (HAIL_SIP_CLIENT_TRANSACTION (source),
                                                     result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  status = hail_sip_message_get_status (response);
  data->last_status = status;
  if ((status != 401 && status != 407) || data->auth == NULL
      || data->attempts >= HAIL_SIP_MAX_REQUEST_ATTEMPTS)
    {
      g_task_return_pointer (task, g_steal_pointer (&response),
                             (GDestroyNotify) hail_sip_message_unref);
      return;
    }

  kind = status == 401 ? HAIL_SIP_AUTH_KIND_WWW : HAIL_SIP_AUTH_KIND_PROXY;
  wanted = status == 401 ? HAIL_SIP_HEADER_WWW_AUTHENTICATE : HAIL_SIP_HEADER_PROXY_AUTHENTICATE;
  challenges = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < hail_sip_message_get_n_headers (response); i++)
    {
      HailSipSpan name, value;
      HailSipHeaderId id;

      if (hail_sip_message_get_header_at (response, i, &name, &value, &id) && id == wanted)
        g_ptr_array_add (challenges, hail_sip_span_dup (value));
    }
  g_ptr_array_add (challenges, NULL);

  fill_auth_request (data, &request);
  answers = hail_sip_auth_respond (data->auth, kind, (const char * const *) challenges->pdata,
                                   &request, &error);
  if (answers == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  merge_auth_headers (data, answers);
  /* §22.2 and §8.1.3.5: a new request, so a new branch and the next CSeq. */
  data->cseq++;
  attempt (g_steal_pointer (&task));
}

static void
attempt (GTask *task)
{
  HailSipStack *stack = g_task_get_source_object (task);
  SendData *data = g_task_get_task_data (task);
  g_autoptr(HailSipMessage) request = NULL;
  g_autoptr(HailSipClientTransaction) txn = NULL;
  g_autoptr(GBytes) bytes = NULL;
  GError *error = NULL;

  data->attempts++;
  request = build_attempt (stack, data, &error);
  if (request == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  bytes = hail_sip_message_get_bytes (request);
  if (data->target->kind == HAIL_SIP_TRANSPORT_KIND_UDP
      && hail_sip_transport_needs_stream (g_bytes_get_size (bytes), 0))
    {
      /* §18.1.1: too large for UDP: the same server over TCP. */
      data->target->kind = HAIL_SIP_TRANSPORT_KIND_TCP;
      g_clear_pointer (&request, hail_sip_message_unref);
      request = build_attempt (stack, data, &error);
      if (request == NULL)
        {
          g_task_return_error (task, error);
          g_object_unref (task);
          return;
        }
    }
  txn = hail_sip_client_transaction_new (stack, request, data->target);
  hail_sip_client_transaction_run_async (txn, g_task_get_cancellable (task), run_cb, task);
}

void
hail_sip_stack_send_request_async (HailSipStack             *self,
                                   const HailSipRequestSpec *spec,
                                   HailSipAuth              *auth,
                                   GCancellable             *cancellable,
                                   GAsyncReadyCallback       callback,
                                   gpointer                  user_data)
{
  GTask *task;
  SendData *data;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (HAIL_IS_SIP_STACK (self));
  g_return_if_fail (spec != NULL && spec->method != NULL && spec->request_uri != NULL);
  g_return_if_fail (spec->target != NULL && spec->from != NULL && spec->to != NULL);
  g_return_if_fail (spec->call_id != NULL);
  g_return_if_fail (auth == NULL || HAIL_IS_SIP_AUTH (auth));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hail_sip_stack_send_request_async);
  data = g_new0 (SendData, 1);
  data->method = g_strdup (spec->method);
  data->request_uri = hail_sip_uri_ref ((HailSipUri *) spec->request_uri);
  data->uri_string = g_strdup (hail_sip_uri_to_string (spec->request_uri));
  data->target = hail_sip_target_copy (spec->target);
  data->from = g_strdup (spec->from);
  data->to = g_strdup (spec->to);
  data->call_id = g_strdup (spec->call_id);
  data->cseq = spec->cseq;
  data->headers = g_strdupv ((GStrv) spec->headers);
  data->content_type = g_strdup (spec->content_type);
  data->body = spec->body != NULL ? g_bytes_ref (spec->body) : NULL;
  data->auth = auth != NULL ? g_object_ref (auth) : NULL;
  data->sent = g_ptr_array_new_with_free_func ((GDestroyNotify) hail_sip_auth_header_free);
  g_task_set_task_data (task, data, (GDestroyNotify) send_data_free);

  if (data->auth != NULL)
    {
      HailSipAuthRequest request;
      g_autoptr(GPtrArray) cached = NULL;

      /* RFC 7616 §3.4: realms answered before are answered at once. */
      fill_auth_request (data, &request);
      cached = hail_sip_auth_authorize (data->auth, &request, &error);
      if (cached == NULL)
        g_debug ("Could not pre-authorise %s: %s", data->method, error->message);
      else
        merge_auth_headers (data, cached);
    }
  attempt (task);
}

HailSipMessage *
hail_sip_stack_send_request_finish (HailSipStack  *self,
                                    GAsyncResult  *result,
                                    guint32       *cseq,
                                    guint         *status,
                                    GError       **error)
{
  SendData *data;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  data = g_task_get_task_data (G_TASK (result));
  if (cseq != NULL)
    *cseq = data->cseq;
  if (status != NULL)
    *status = data->last_status;
  return g_task_propagate_pointer (G_TASK (result), error);
}

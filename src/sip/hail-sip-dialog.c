/* hail-sip-dialog.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hail-sip-dialog.h"

#include "hail-sip-error.h"

#include <string.h>

struct _HailSipDialog
{
  GObject parent_instance;

  /* Owned. */
  char       *call_id;
  char       *local_tag;
  char       *remote_tag;
  char       *local_party;
  char       *remote_party;
  HailSipUri *remote_target;
  GPtrArray  *route_set;        /* char *: Route values in request order. */

  /* State. */
  guint32     local_cseq;
  guint32     remote_cseq;
  gboolean    remote_cseq_set;
  gboolean    secure;
  gboolean    is_uac;
};

G_DEFINE_FINAL_TYPE (HailSipDialog, hail_sip_dialog, G_TYPE_OBJECT)

static char *
dup_header (HailSipMessage *message,
            const char     *name)
{
  HailSipSpan value;

  if (!hail_sip_message_get_header (message, name, &value))
    return NULL;
  return hail_sip_span_dup (value);
}

/* What every dialog-forming or in-dialog message must carry; a parsed
 * message may lack any of them. */
static gboolean
has_dialog_headers (HailSipMessage  *message,
                    GError         **error)
{
  if (hail_sip_message_get_from (message) == NULL || hail_sip_message_get_to (message) == NULL
      || hail_sip_message_get_cseq (message) == NULL
      || !hail_sip_span_present (hail_sip_message_get_call_id (message)))
    {
      g_set_error_literal (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED,
                           "The message lacks From, To, Call-ID or CSeq");
      return FALSE;
    }
  return TRUE;
}

/* The first Contact of @message as the remote target; NULL (with an
 * error) when it has none we can use. */
static HailSipUri *
contact_target (HailSipMessage  *message,
                GError         **error)
{
  HailSipNameAddr contact;
  HailSipUri *uri;

  if (hail_sip_message_get_n_contacts (message) == 0
      || !hail_sip_message_get_contact (message, 0, &contact) || contact.wildcard)
    {
      g_set_error_literal (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED,
                           "The message has no Contact to reach the peer at");
      return NULL;
    }
  uri = hail_sip_name_addr_get_uri (&contact);
  if (uri == NULL || hail_sip_uri_get_host (uri) == NULL)
    {
      g_clear_pointer (&uri, hail_sip_uri_unref);
      g_set_error_literal (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED,
                           "The Contact is not a SIP URI");
      return NULL;
    }
  return uri;
}

/* The Record-Route values of @message, each checked, reversed for a UAC. */
static GPtrArray *
record_route (HailSipMessage  *message,
              gboolean         reverse,
              GError         **error)
{
  g_autoptr(GPtrArray) routes = g_ptr_array_new_with_free_func (g_free);
  HailSipHeaderIter iter;
  HailSipSpan value;

  hail_sip_message_iter_init (message, &iter, "Record-Route");
  while (hail_sip_header_iter_next (&iter, &value))
    {
      HailSipNameAddr addr;

      if (routes->len >= HAIL_SIP_DIALOG_MAX_ROUTES)
        {
          g_set_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TOO_LARGE,
                       "More than %u Record-Route entries", HAIL_SIP_DIALOG_MAX_ROUTES);
          return NULL;
        }
      if (!hail_sip_name_addr_parse (&addr, value.ptr, value.len, error))
        {
          g_prefix_error (error, "Invalid Record-Route: ");
          return NULL;
        }
      if (reverse)
        g_ptr_array_insert (routes, 0, hail_sip_span_dup (value));
      else
        g_ptr_array_add (routes, hail_sip_span_dup (value));
    }
  return g_steal_pointer (&routes);
}

static void
hail_sip_dialog_finalize (GObject *object)
{
  HailSipDialog *self = HAIL_SIP_DIALOG (object);

  g_free (self->call_id);
  g_free (self->local_tag);
  g_free (self->remote_tag);
  g_free (self->local_party);
  g_free (self->remote_party);
  g_clear_pointer (&self->remote_target, hail_sip_uri_unref);
  g_clear_pointer (&self->route_set, g_ptr_array_unref);

  G_OBJECT_CLASS (hail_sip_dialog_parent_class)->finalize (object);
}

static void
hail_sip_dialog_class_init (HailSipDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hail_sip_dialog_finalize;
}

static void
hail_sip_dialog_init (HailSipDialog *self)
{
}

HailSipDialog *
hail_sip_dialog_new_uac (HailSipMessage  *request,
                         HailSipMessage  *response,
                         GError         **error)
{
  g_autoptr(HailSipDialog) self = NULL;
  const HailSipNameAddr *from, *to;
  const HailSipUriView *ruri;

  g_return_val_if_fail (request != NULL && hail_sip_message_is_request (request), NULL);
  g_return_val_if_fail (response != NULL && !hail_sip_message_is_request (response), NULL);

  if (!has_dialog_headers (request, error) || !has_dialog_headers (response, error))
    return NULL;
  from = hail_sip_message_get_from (request);
  to = hail_sip_message_get_to (response);
  if (!hail_sip_span_present (to->tag) || !hail_sip_span_present (from->tag))
    {
      g_set_error_literal (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED,
                           "A dialog needs tags on both sides");
      return NULL;
    }
  self = g_object_new (HAIL_TYPE_SIP_DIALOG, NULL);
  self->is_uac = TRUE;
  self->call_id = hail_sip_span_dup (hail_sip_message_get_call_id (request));
  self->local_tag = hail_sip_span_dup (from->tag);
  self->remote_tag = hail_sip_span_dup (to->tag);
  self->local_party = dup_header (request, "From");
  self->remote_party = dup_header (response, "To");
  self->local_cseq = hail_sip_message_get_cseq (request)->number;
  ruri = hail_sip_message_get_request_uri_view (request);
  self->secure = ruri->scheme == HAIL_SIP_URI_SCHEME_SIPS;
  self->route_set = record_route (response, TRUE, error);
  if (self->route_set == NULL)
    return NULL;
  self->remote_target = contact_target (response, error);
  if (self->remote_target == NULL)
    return NULL;
  return g_steal_pointer (&self);
}

HailSipDialog *
hail_sip_dialog_new_uas (HailSipMessage  *request,
                         const char      *local_tag,
                         GError         **error)
{
  g_autoptr(HailSipDialog) self = NULL;
  const HailSipNameAddr *from;
  const HailSipUriView *ruri;
  g_autofree char *to = NULL;

  g_return_val_if_fail (request != NULL && hail_sip_message_is_request (request), NULL);
  g_return_val_if_fail (local_tag != NULL, NULL);

  if (!has_dialog_headers (request, error))
    return NULL;
  from = hail_sip_message_get_from (request);
  if (!hail_sip_span_present (from->tag))
    {
      g_set_error_literal (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED,
                           "The request has no From tag");
      return NULL;
    }
  self = g_object_new (HAIL_TYPE_SIP_DIALOG, NULL);
  self->call_id = hail_sip_span_dup (hail_sip_message_get_call_id (request));
  self->local_tag = g_strdup (local_tag);
  self->remote_tag = hail_sip_span_dup (from->tag);
  to = dup_header (request, "To");
  self->local_party = g_strdup_printf ("%s;tag=%s", to, local_tag);
  self->remote_party = dup_header (request, "From");
  self->remote_cseq = hail_sip_message_get_cseq (request)->number;
  self->remote_cseq_set = TRUE;
  /* §12.1.1: our own CSeq space starts anywhere below 2^31. */
  self->local_cseq = g_random_int_range (1, 1 << 16);
  ruri = hail_sip_message_get_request_uri_view (request);
  self->secure = ruri->scheme == HAIL_SIP_URI_SCHEME_SIPS;
  self->route_set = record_route (request, FALSE, error);
  if (self->route_set == NULL)
    return NULL;
  self->remote_target = contact_target (request, error);
  if (self->remote_target == NULL)
    return NULL;
  return g_steal_pointer (&self);
}

const char *
hail_sip_dialog_get_call_id (HailSipDialog *self)
{
  g_return_val_if_fail (HAIL_IS_SIP_DIALOG (self), NULL);
  return self->call_id;
}

const char *
hail_sip_dialog_get_local_tag (HailSipDialog *self)
{
  g_return_val_if_fail (HAIL_IS_SIP_DIALOG (self), NULL);
  return self->local_tag;
}

const char *
hail_sip_dialog_get_remote_tag (HailSipDialog *self)
{
  g_return_val_if_fail (HAIL_IS_SIP_DIALOG (self), NULL);
  return self->remote_tag;
}

const char *
hail_sip_dialog_get_local_party (HailSipDialog *self)
{
  g_return_val_if_fail (HAIL_IS_SIP_DIALOG (self), NULL);
  return self->local_party;
}

const char *
hail_sip_dialog_get_remote_party (HailSipDialog *self)
{
  g_return_val_if_fail (HAIL_IS_SIP_DIALOG (self), NULL);
  return self->remote_party;
}

HailSipUri *
hail_sip_dialog_get_remote_target (HailSipDialog *self)
{
  g_return_val_if_fail (HAIL_IS_SIP_DIALOG (self), NULL);
  return self->remote_target;
}

GPtrArray *
hail_sip_dialog_get_route_set (HailSipDialog *self)
{
  g_return_val_if_fail (HAIL_IS_SIP_DIALOG (self), NULL);
  return self->route_set;
}

gboolean
hail_sip_dialog_get_secure (HailSipDialog *self)
{
  g_return_val_if_fail (HAIL_IS_SIP_DIALOG (self), FALSE);
  return self->secure;
}

gboolean
hail_sip_dialog_get_is_uac (HailSipDialog *self)
{
  g_return_val_if_fail (HAIL_IS_SIP_DIALOG (self), FALSE);
  return self->is_uac;
}

guint32
hail_sip_dialog_get_local_cseq (HailSipDialog *self)
{
  g_return_val_if_fail (HAIL_IS_SIP_DIALOG (self), 0);
  return self->local_cseq;
}

guint32
hail_sip_dialog_get_remote_cseq (HailSipDialog *self)
{
  g_return_val_if_fail (HAIL_IS_SIP_DIALOG (self), 0);
  return self->remote_cseq;
}

guint32
hail_sip_dialog_next_cseq (HailSipDialog *self)
{
  g_return_val_if_fail (HAIL_IS_SIP_DIALOG (self), 0);

  /* §8.1.1.5: CSeq stays below 2^31; a dialog never gets near it. */
  if (self->local_cseq < G_MAXINT32)
    self->local_cseq++;
  return self->local_cseq;
}

gboolean
hail_sip_dialog_matches (HailSipDialog  *self,
                         HailSipMessage *message)
{
  const HailSipNameAddr *from, *to;
  HailSipSpan local, remote;

  g_return_val_if_fail (HAIL_IS_SIP_DIALOG (self), FALSE);
  g_return_val_if_fail (message != NULL, FALSE);

  if (!has_dialog_headers (message, NULL)
      || !hail_sip_span_equal_str (hail_sip_message_get_call_id (message), self->call_id))
    return FALSE;
  from = hail_sip_message_get_from (message);
  to = hail_sip_message_get_to (message);
  /* A request comes from the peer; a response answers ours. */
  local = hail_sip_message_is_request (message) ? to->tag : from->tag;
  remote = hail_sip_message_is_request (message) ? from->tag : to->tag;
  return hail_sip_span_present (local) && hail_sip_span_present (remote)
         && hail_sip_span_equal_str (local, self->local_tag)
         && hail_sip_span_equal_str (remote, self->remote_tag);
}

gboolean
hail_sip_dialog_receive_request (HailSipDialog   *self,
                                 HailSipMessage  *request,
                                 guint           *status,
                                 GError         **error)
{
  const HailSipCSeq *cseq;

  g_return_val_if_fail (HAIL_IS_SIP_DIALOG (self), FALSE);
  g_return_val_if_fail (request != NULL && hail_sip_message_is_request (request), FALSE);

  if (!has_dialog_headers (request, error))
    {
      if (status != NULL)
        *status = 400;
      return FALSE;
    }
  if (hail_sip_message_is_method (request, "ACK") || hail_sip_message_is_method (request, "CANCEL"))
    return TRUE;
  cseq = hail_sip_message_get_cseq (request);
  if (self->remote_cseq_set && cseq->number <= self->remote_cseq)
    {
      /* §12.2.2: out of order (a retransmission is absorbed earlier by
       * its transaction). */
      if (status != NULL)
        *status = 500;
      g_set_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED,
                   "CSeq %u is not above the last one, %u", cseq->number, self->remote_cseq);
      return FALSE;
    }
  self->remote_cseq = cseq->number;
  self->remote_cseq_set = TRUE;
  if (hail_sip_message_is_method (request, "INVITE")
      || hail_sip_message_is_method (request, "UPDATE"))
    {
      g_autoptr(HailSipUri) target = contact_target (request, NULL);

      /* RFC 3261 §12.2: a target refresh replaces the remote target. */
      if (target != NULL)
        {
          g_clear_pointer (&self->remote_target, hail_sip_uri_unref);
          self->remote_target = g_steal_pointer (&target);
        }
    }
  return TRUE;
}

void
hail_sip_dialog_receive_response (HailSipDialog  *self,
                                  HailSipMessage *response,
                                  gboolean        confirms)
{
  g_autoptr(HailSipUri) target = NULL;

  g_return_if_fail (HAIL_IS_SIP_DIALOG (self));
  g_return_if_fail (response != NULL);

  if (hail_sip_message_get_status (response) / 100 != 2)
    return;
  target = contact_target (response, NULL);
  if (target != NULL)
    {
      g_clear_pointer (&self->remote_target, hail_sip_uri_unref);
      self->remote_target = g_steal_pointer (&target);
    }
  if (confirms && self->is_uac)
    {
      g_autoptr(GPtrArray) routes = record_route (response, TRUE, NULL);

      if (routes != NULL)
        {
          g_ptr_array_unref (self->route_set);
          self->route_set = g_steal_pointer (&routes);
        }
    }
}

static HailSipUri *
route_uri (const char *route,
           gboolean   *loose)
{
  HailSipNameAddr addr;
  HailSipUri *uri;

  /* Values were checked when stored. */
  if (!hail_sip_name_addr_parse (&addr, route, strlen (route), NULL))
    return NULL;
  uri = hail_sip_name_addr_get_uri (&addr);
  if (loose != NULL)
    *loose = uri != NULL && hail_sip_uri_has_param (uri, "lr");
  return uri;
}

HailSipUri *
hail_sip_dialog_dup_next_hop (HailSipDialog *self)
{
  g_return_val_if_fail (HAIL_IS_SIP_DIALOG (self), NULL);

  if (self->route_set->len > 0)
    {
      HailSipUri *uri = route_uri (g_ptr_array_index (self->route_set, 0), NULL);

      if (uri != NULL)
        return uri;
    }
  return hail_sip_uri_ref (self->remote_target);
}

HailSipMessageBuilder *
hail_sip_dialog_build_request (HailSipDialog *self,
                               const char    *method,
                               guint32        cseq,
                               const char    *via)
{
  g_autoptr(HailSipMessageBuilder) builder = NULL;
  g_autoptr(HailSipUri) first = NULL;
  g_autofree char *cseq_value = NULL;
  gboolean loose = TRUE;
  guint start = 0;

  g_return_val_if_fail (HAIL_IS_SIP_DIALOG (self), NULL);
  g_return_val_if_fail (method != NULL && via != NULL, NULL);

  if (self->route_set->len > 0)
    first = route_uri (g_ptr_array_index (self->route_set, 0), &loose);
  if (first != NULL && !loose)
    {
      /* §12.2.1.1: a strict router takes the Request-URI; the remote
       * target goes last in the Route set. */
      builder = hail_sip_message_builder_new_request (method, first);
      start = 1;
    }
  else
    {
      builder = hail_sip_message_builder_new_request (method, self->remote_target);
    }
  hail_sip_message_builder_add_header (builder, "Via", via);
  hail_sip_message_builder_add_header (builder, "Max-Forwards", "70");
  for (guint i = start; i < self->route_set->len; i++)
    hail_sip_message_builder_add_header (builder, "Route", g_ptr_array_index (self->route_set, i));
  if (start == 1)
    {
      g_autofree char *last = g_strdup_printf ("<%s>",
                                               hail_sip_uri_to_string (self->remote_target));

      hail_sip_message_builder_add_header (builder, "Route", last);
    }
  hail_sip_message_builder_add_header (builder, "From", self->local_party);
  hail_sip_message_builder_add_header (builder, "To", self->remote_party);
  hail_sip_message_builder_add_header (builder, "Call-ID", self->call_id);
  cseq_value = g_strdup_printf ("%u %s", cseq, method);
  hail_sip_message_builder_add_header (builder, "CSeq", cseq_value);
  return g_steal_pointer (&builder);
}

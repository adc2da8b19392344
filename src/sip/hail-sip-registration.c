/* hail-sip-registration.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hail-sip-registration.h"

#include "hail-sip-error.h"
#include "hail-sip-message-builder.h"
#include "hail-sip-request-sender.h"

#include <string.h>

enum {
  PROP_0,
  PROP_STATE,
  PROP_GRANTED_EXPIRES,
  PROP_CONTACT,
  N_PROPS
};

typedef enum {
  OP_REGISTER,
  OP_REFRESH,
  OP_UNREGISTER,
} Operation;

struct _HailSipRegistration
{
  GObject parent_instance;

  /* Owned references. */
  HailSipStack     *stack;
  HailSipAuth      *auth;
  HailSipUri       *aor;
  HailSipUri       *registrar;
  HailSipTarget    *target;
  HailSipUri       *contact_uri;
  GNetworkMonitor  *monitor;
  GCancellable     *cancellable;   /* Cancelled in dispose. */
  GTask            *pending;       /* register or unregister in flight. */
  GError           *error;
  char             *instance_id;
  char             *call_id;
  char             *from_tag;
  char             *contact;

  /* State. */
  HailSipRegistrationState state;
  Operation  op;
  gboolean   in_flight;
  gboolean   unregister_queued;  /* Asked while a refresh was in flight. */
  gint       kind;
  guint      expires;
  guint      asked;            /* Expires of the REGISTER in flight. */
  guint      granted;
  guint      status;
  guint      n_423;
  guint32    cseq;
  guint      refresh_id;
  guint      kick_id;
};

G_DEFINE_FINAL_TYPE (HailSipRegistration, hail_sip_registration, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (HailSipRegistrationState, hail_sip_registration_state,
  G_DEFINE_ENUM_VALUE (HAIL_SIP_REGISTRATION_STATE_UNREGISTERED, "unregistered"),
  G_DEFINE_ENUM_VALUE (HAIL_SIP_REGISTRATION_STATE_REGISTERING, "registering"),
  G_DEFINE_ENUM_VALUE (HAIL_SIP_REGISTRATION_STATE_REGISTERED, "registered"),
  G_DEFINE_ENUM_VALUE (HAIL_SIP_REGISTRATION_STATE_FAILED, "failed"),
  G_DEFINE_ENUM_VALUE (HAIL_SIP_REGISTRATION_STATE_UNREGISTERING, "unregistering"))

static GParamSpec *properties[N_PROPS];

static void send_register (HailSipRegistration *self);

static const char *
state_nick (HailSipRegistrationState state)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (HAIL_TYPE_SIP_REGISTRATION_STATE);

  return g_enum_get_value (klass, (gint) state)->value_nick;
}

static void
set_state (HailSipRegistration      *self,
           HailSipRegistrationState  state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_info ("Registration of %s: %s", hail_sip_uri_to_string (self->aor),
          state_nick (state));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
set_granted (HailSipRegistration *self,
             guint                granted)
{
  if (self->granted == granted)
    return;
  self->granted = granted;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GRANTED_EXPIRES]);
}

char *
hail_sip_describe_failure (const GError *error,
                           guint         status,
                           guint        *report_status)
{
  guint report = status;
  char *text;

  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain == HAIL_SIP_STATUS_ERROR)
    {
      report = (guint) error->code;
      switch (error->code)
        {
        case 401:
        case 407:
          text = g_strdup_printf ("wrong password or user name (%d %s)", error->code,
                                  error->message);
          break;
        case 403:
          text = g_strdup_printf ("forbidden: the server refused this account (%d %s)",
                                  error->code, error->message);
          break;
        case 404:
          text = g_strdup_printf ("unknown user (%d %s)", error->code, error->message);
          break;
        case 408:
        case 480:
        case 503:
        case 504:
          text = g_strdup_printf ("the server is unavailable (%d %s)", error->code, error->message);
          break;
        default:
          text = g_strdup_printf ("the server said %d %s", error->code, error->message);
        }
    }
  else if (g_error_matches (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_AUTH_REJECTED))
    {
      report = status != 0 ? status : 401;
      text = g_strdup_printf ("wrong password: the server refused the credentials (%s)",
                              error->message);
    }
  else if (g_error_matches (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_AUTH_UNSUPPORTED))
    {
      report = status != 0 ? status : 401;
      text = g_strdup_printf ("the server asks for an authentication Hail cannot answer (%s)",
                              error->message);
    }
  else if (g_error_matches (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TIMEOUT))
    {
      report = 408;
      text = g_strdup_printf ("timeout: the server did not answer (%s)", error->message);
    }
  else if (g_error_matches (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TLS_VERIFY))
    {
      report = 503;
      text = g_strdup_printf ("TLS certificate not trusted: %s", error->message);
    }
  else if (g_error_matches (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TLS))
    {
      report = 503;
      text = g_strdup_printf ("TLS connection failed: %s", error->message);
    }
  else if (error->domain == G_RESOLVER_ERROR)
    {
      /* Only NXDOMAIN (or no address) means the name does not exist: a
       * failing or silent server says nothing about the name. */
      const char *what = error->code == G_RESOLVER_ERROR_NOT_FOUND ? "DNS name not found"
                                                                   : "DNS lookup failed";

      report = 503;
      text = g_str_has_prefix (error->message, what)
               ? g_strdup (error->message)
               : g_strdup_printf ("%s: %s", what, error->message);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      report = 0;
      text = g_strdup ("cancelled");
    }
  else
    {
      report = 503;
      text = g_strdup_printf ("unreachable: %s", error->message);
    }
  if (report_status != NULL)
    *report_status = report;
  return text;
}

static void
fail (HailSipRegistration *self,
      const GError        *error,
      guint                status)
{
  g_autofree char *text = hail_sip_describe_failure (error, status, &self->status);

  g_clear_error (&self->error);
  self->error = g_error_new_literal (error->domain, error->code, text);
  g_debug ("Registration of %s failed: %s", hail_sip_uri_to_string (self->aor), text);
}

static void
complete_pending (HailSipRegistration *self,
                  gboolean             ok)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->pending);

  if (task == NULL)
    return;
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_error_copy (self->error));
}

static gboolean
refresh_cb (gpointer user_data)
{
  HailSipRegistration *self = user_data;

  self->refresh_id = 0;
  if (!self->in_flight)
    {
      self->op = OP_REFRESH;
      send_register (self);
    }
  return G_SOURCE_REMOVE;
}

static void
schedule_refresh (HailSipRegistration *self,
                  guint                seconds)
{
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  /* Milliseconds, not g_timeout_add_seconds(): that one may fire up to a
   * second early, which is half of a short binding. A day at most, which
   * also keeps the product in range. */
  self->refresh_id = g_timeout_add (CLAMP (seconds, 1, 86400) * 1000, refresh_cb, self);
}

/* Whether @contact (from the 200) is the binding we asked for: same URI
 * (RFC 3261 §19.1.4) or same instance (RFC 5626 §6). */
static gboolean
is_our_contact (HailSipRegistration   *self,
                const HailSipNameAddr *contact)
{
  g_autoptr(HailSipUri) uri = hail_sip_name_addr_get_uri (contact);
  HailSipSpan instance;

  if (uri != NULL && hail_sip_uri_equal (uri, self->contact_uri))
    return TRUE;
  if (hail_sip_params_lookup (contact->params, "+sip.instance", &instance)
      && hail_sip_span_present (instance))
    {
      g_autofree char *value = hail_sip_unquote (instance, NULL);

      return value != NULL && g_str_has_prefix (value, "<")
             && g_str_has_suffix (value, ">")
             && strlen (value) == strlen (self->instance_id) + 2
             && strncmp (value + 1, self->instance_id, strlen (self->instance_id)) == 0;
    }
  return FALSE;
}

static guint
read_granted (HailSipRegistration *self,
              HailSipMessage      *response)
{
  guint32 expires;

  /* §10.2.4: the expires of our Contact in the 200, else its Expires. */
  for (guint i = 0; i < hail_sip_message_get_n_contacts (response); i++)
    {
      HailSipNameAddr contact;

      if (hail_sip_message_get_contact (response, i, &contact)
          && is_our_contact (self, &contact)
          && hail_sip_name_addr_get_expires (&contact, &expires))
        return expires;
    }
  if (hail_sip_message_get_expires (response, &expires))
    return expires;
  return self->asked;
}

static void
registered (HailSipRegistration *self,
            HailSipMessage      *response)
{
  guint granted = read_granted (self, response);

  if (granted == 0)
    {
      /* A registrar that grants 0 seconds did not bind us. */
      g_autoptr(GError) error = g_error_new_literal (HAIL_SIP_STATUS_ERROR, 500,
                                                     "The registrar granted no time");
      fail (self, error, 500);
      set_state (self, HAIL_SIP_REGISTRATION_STATE_FAILED);
      complete_pending (self, FALSE);
      schedule_refresh (self, HAIL_SIP_REGISTRATION_RETRY_SECONDS);
      return;
    }
  g_clear_error (&self->error);
  self->status = 0;
  set_granted (self, granted);
  schedule_refresh (self, MAX (granted / 2, granted > 60 ? granted - 60 : 0));
  set_state (self, HAIL_SIP_REGISTRATION_STATE_REGISTERED);
  complete_pending (self, TRUE);
}

static void
request_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(HailSipRegistration) self = user_data;
  HailSipRequestSender *sender = HAIL_SIP_REQUEST_SENDER (source);
  g_autoptr(HailSipMessage) response = NULL;
  g_autoptr(GError) error = NULL;
  guint status;

  response = hail_sip_request_sender_run_finish (sender, result, &error);
  self->in_flight = FALSE;
  self->cseq = MAX (self->cseq, hail_sip_request_sender_get_cseq (sender)) + 1;
  status = hail_sip_request_sender_get_status (sender);
  if (hail_sip_request_sender_get_target (sender) != NULL)
    {
      /* Refreshes and the flow watch stick to the registrar that served. */
      g_clear_pointer (&self->target, hail_sip_target_free);
      self->target = hail_sip_target_copy (hail_sip_request_sender_get_target (sender));
    }

  if (self->stack == NULL)
    {
      /* Disposed meanwhile: nothing more goes out. */
      g_autoptr(GError) gone = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                    "The registration was disposed");

      fail (self, gone, 0);
      complete_pending (self, FALSE);
      return;
    }
  if (self->unregister_queued)
    {
      /* Unregister was asked while this refresh was in flight: whatever
       * it got, remove the binding now. */
      self->unregister_queued = FALSE;
      self->op = OP_UNREGISTER;
      send_register (self);
      return;
    }

  if (self->op == OP_UNREGISTER)
    {
      set_granted (self, 0);
      set_state (self, HAIL_SIP_REGISTRATION_STATE_UNREGISTERED);
      if (response != NULL && status >= 200 && status < 300)
        {
          complete_pending (self, TRUE);
          return;
        }
      if (error == NULL)
        error = g_error_new_literal (HAIL_SIP_STATUS_ERROR, (gint) status,
                                     hail_sip_status_get_reason_phrase (status));
      fail (self, error, status);
      complete_pending (self, FALSE);
      return;
    }

  if (response != NULL && status == 423 && self->n_423 < HAIL_SIP_REGISTRATION_MAX_423)
    {
      guint32 min_expires = 0;

      /* §10.2.8: ask again for at least Min-Expires (a registrar that
       * says 423 to a longer interval than its minimum gets the same one
       * again, a bounded number of times). */
      if (hail_sip_message_get_min_expires (response, &min_expires) && min_expires > 0)
        {
          self->n_423++;
          self->expires = MAX (min_expires, self->asked);
          send_register (self);
          return;
        }
    }
  if (response != NULL && status >= 200 && status < 300)
    {
      registered (self, response);
      return;
    }
  if (error == NULL)
    {
      g_autofree char *reason = hail_sip_span_dup (hail_sip_message_get_reason (response));

      error = g_error_new_literal (HAIL_SIP_STATUS_ERROR, (gint) status, reason);
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      fail (self, error, 0);
      complete_pending (self, FALSE);
      return;
    }
  fail (self, error, status);
  set_granted (self, 0);
  set_state (self, HAIL_SIP_REGISTRATION_STATE_FAILED);
  complete_pending (self, FALSE);
  /* A wrong password stays wrong: only a new one (register again) helps. */
  if (!g_error_matches (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_AUTH_REJECTED))
    schedule_refresh (self, HAIL_SIP_REGISTRATION_RETRY_SECONDS);
}

/* HailSipContactFunc: our binding as @target reaches us. */
static char *
build_contact (const HailSipTarget  *target,
               gpointer              user_data,
               GError              **error)
{
  HailSipRegistration *self = user_data;
  g_autofree char *uri = hail_sip_stack_dup_contact_uri (self->stack, target, self->aor, error);
  GString *contact;

  if (uri == NULL)
    return NULL;
  g_clear_pointer (&self->contact_uri, hail_sip_uri_unref);
  self->contact_uri = hail_sip_uri_parse (uri, -1, error);
  if (self->contact_uri == NULL)
    return NULL;
  contact = g_string_new (NULL);
  /* RFC 5626 §4.1: the instance identifies this device across restarts. */
  g_string_printf (contact, "<%s>;+sip.instance=\"<%s>\"", uri, self->instance_id);
  if (g_strcmp0 (contact->str, self->contact) != 0)
    {
      g_free (self->contact);
      self->contact = g_strdup (contact->str);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTACT]);
    }
  return g_string_free (contact, FALSE);
}

/* HailSipContactFunc: an unregister removes the binding it made, wherever
 * the request goes. */
static char *
bound_contact (const HailSipTarget  *target,
               gpointer              user_data,
               GError              **error)
{
  HailSipRegistration *self = user_data;

  if (self->contact == NULL)
    return build_contact (target, user_data, error);
  return g_strdup (self->contact);
}

static void
send_register (HailSipRegistration *self)
{
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_autofree char *expires = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HailSipUri) request_uri = NULL;
  g_autoptr(HailSipRequestSender) sender = NULL;
  const char *headers[5];
  HailSipRequestSpec spec = { 0 };

  self->in_flight = TRUE;
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  if (self->op != OP_UNREGISTER)
    set_state (self, HAIL_SIP_REGISTRATION_STATE_REGISTERING);

  /* §10.2: the Request-URI is the registrar's domain, without user. */
  request_uri = hail_sip_uri_new (hail_sip_uri_get_scheme (self->aor), NULL,
                                  hail_sip_uri_get_host (self->aor),
                                  hail_sip_uri_get_port (self->aor), &error);
  if (request_uri == NULL)
    {
      self->in_flight = FALSE;
      fail (self, error, 0);
      set_state (self, HAIL_SIP_REGISTRATION_STATE_FAILED);
      complete_pending (self, FALSE);
      return;
    }
  self->asked = self->op == OP_UNREGISTER ? 0 : self->expires;
  expires = g_strdup_printf ("%u", self->asked);
  from = g_strdup_printf ("<%s>;tag=%s", hail_sip_uri_to_string (self->aor), self->from_tag);
  to = g_strdup_printf ("<%s>", hail_sip_uri_to_string (self->aor));
  headers[0] = "Expires";
  headers[1] = expires;
  headers[2] = "Supported";
  headers[3] = "path, outbound";
  headers[4] = NULL;

  spec.method = "REGISTER";
  spec.request_uri = request_uri;
  /* A first REGISTER looks the registrar up; a refresh or unregister goes
   * to the one that served, and looks up afresh only if it fails (the
   * addresses of the first lookup may be long out of date). */
  spec.target = self->op == OP_REGISTER ? NULL : self->target;
  spec.from = from;
  spec.to = to;
  spec.call_id = self->call_id;
  spec.cseq = self->cseq;
  spec.headers = headers;
  sender = hail_sip_request_sender_new (self->stack, &spec, self->auth);
  hail_sip_request_sender_set_next_hop (sender, self->registrar, self->kind);
  hail_sip_request_sender_set_contact_func (sender, self->op == OP_UNREGISTER ? bound_contact
                                                                              : build_contact,
                                            self);
  hail_sip_request_sender_run_async (sender, self->cancellable, request_cb, g_object_ref (self));
}

static gboolean
kick_cb (gpointer user_data)
{
  HailSipRegistration *self = user_data;

  self->kick_id = 0;
  if (!self->in_flight && self->pending == NULL
      && (self->state == HAIL_SIP_REGISTRATION_STATE_REGISTERED
          || self->state == HAIL_SIP_REGISTRATION_STATE_FAILED)
      && !g_error_matches (self->error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_AUTH_REJECTED))
    {
      self->op = OP_REFRESH;
      send_register (self);
    }
  return G_SOURCE_REMOVE;
}

/* Registers again soon, once, whatever asked for it. */
static void
kick (HailSipRegistration *self)
{
  if (self->kick_id == 0)
    self->kick_id = g_idle_add (kick_cb, self);
}

static void
flow_closed_cb (HailSipRegistration *self,
                HailSipFlow         *flow,
                const GError        *error)
{
  if (self->target == NULL || hail_sip_flow_get_kind (flow) != self->target->kind
      || !g_inet_address_equal (
           g_inet_socket_address_get_address (hail_sip_flow_get_remote_address (flow)),
           g_inet_socket_address_get_address (self->target->address))
      || g_inet_socket_address_get_port (hail_sip_flow_get_remote_address (flow))
           != g_inet_socket_address_get_port (self->target->address))
    return;
  /* RFC 5626 §4.4: our flow broke: the registrar can no longer reach us
   * through it, so bind again over a new one. */
  g_debug ("The flow to the registrar closed: registering again");
  kick (self);
}

static void
network_changed_cb (HailSipRegistration *self,
                    gboolean             available)
{
  if (!available)
    return;
  /* Addresses may have changed: resolve and bind afresh. */
  g_clear_pointer (&self->target, hail_sip_target_free);
  kick (self);
}

static void
hail_sip_registration_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  HailSipRegistration *self = HAIL_SIP_REGISTRATION (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_GRANTED_EXPIRES:
      g_value_set_uint (value, self->granted);
      break;
    case PROP_CONTACT:
      g_value_set_string (value, self->contact);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hail_sip_registration_dispose (GObject *object)
{
  HailSipRegistration *self = HAIL_SIP_REGISTRATION (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  g_clear_handle_id (&self->kick_id, g_source_remove);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->monitor);
  g_clear_object (&self->stack);
  g_clear_object (&self->auth);

  G_OBJECT_CLASS (hail_sip_registration_parent_class)->dispose (object);
}

static void
hail_sip_registration_finalize (GObject *object)
{
  HailSipRegistration *self = HAIL_SIP_REGISTRATION (object);

  g_assert (self->pending == NULL);
  g_clear_pointer (&self->aor, hail_sip_uri_unref);
  g_clear_pointer (&self->registrar, hail_sip_uri_unref);
  g_clear_pointer (&self->contact_uri, hail_sip_uri_unref);
  g_clear_pointer (&self->target, hail_sip_target_free);
  g_clear_error (&self->error);
  g_free (self->instance_id);
  g_free (self->call_id);
  g_free (self->from_tag);
  g_free (self->contact);

  G_OBJECT_CLASS (hail_sip_registration_parent_class)->finalize (object);
}

static void
hail_sip_registration_class_init (HailSipRegistrationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = hail_sip_registration_get_property;
  object_class->dispose = hail_sip_registration_dispose;
  object_class->finalize = hail_sip_registration_finalize;

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, HAIL_TYPE_SIP_REGISTRATION_STATE,
                       HAIL_SIP_REGISTRATION_STATE_UNREGISTERED,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_GRANTED_EXPIRES] =
    g_param_spec_uint ("granted-expires", NULL, NULL, 0, G_MAXUINT32, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_CONTACT] =
    g_param_spec_string ("contact", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hail_sip_registration_init (HailSipRegistration *self)
{
  self->kind = -1;
  self->expires = 3600;
  self->cseq = 1;
  self->cancellable = g_cancellable_new ();
}

HailSipRegistration *
hail_sip_registration_new (HailSipStack *stack,
                           HailSipAuth  *auth,
                           HailSipUri   *aor,
                           HailSipUri   *registrar,
                           const char   *instance_id)
{
  HailSipRegistration *self;

  g_return_val_if_fail (HAIL_IS_SIP_STACK (stack), NULL);
  g_return_val_if_fail (auth == NULL || HAIL_IS_SIP_AUTH (auth), NULL);
  g_return_val_if_fail (aor != NULL && hail_sip_uri_get_host (aor) != NULL, NULL);
  g_return_val_if_fail (instance_id != NULL && g_str_has_prefix (instance_id, "urn:"), NULL);

  self = g_object_new (HAIL_TYPE_SIP_REGISTRATION, NULL);
  self->stack = g_object_ref (stack);
  self->auth = auth != NULL ? g_object_ref (auth) : NULL;
  self->aor = hail_sip_uri_ref (aor);
  self->registrar = hail_sip_uri_ref (registrar != NULL ? registrar : aor);
  self->instance_id = g_strdup (instance_id);
  self->call_id = hail_sip_stack_new_call_id ();
  self->from_tag = hail_sip_stack_new_tag ();
  g_signal_connect_object (hail_sip_stack_get_transport (stack), "flow-closed",
                           G_CALLBACK (flow_closed_cb), self, G_CONNECT_SWAPPED);
  self->monitor = g_object_ref (g_network_monitor_get_default ());
  g_signal_connect_object (self->monitor, "network-changed", G_CALLBACK (network_changed_cb),
                           self, G_CONNECT_SWAPPED);
  return self;
}

void
hail_sip_registration_set_transport (HailSipRegistration *self,
                                     gint                 kind)
{
  g_return_if_fail (HAIL_IS_SIP_REGISTRATION (self));
  g_return_if_fail (kind >= -1 && kind <= HAIL_SIP_TRANSPORT_KIND_TLS);

  self->kind = kind;
}

void
hail_sip_registration_set_expires (HailSipRegistration *self,
                                   guint                expires)
{
  g_return_if_fail (HAIL_IS_SIP_REGISTRATION (self));
  g_return_if_fail (expires > 0);

  self->expires = expires;
}

guint
hail_sip_registration_get_expires (HailSipRegistration *self)
{
  g_return_val_if_fail (HAIL_IS_SIP_REGISTRATION (self), 0);

  return self->expires;
}

HailSipRegistrationState
hail_sip_registration_get_state (HailSipRegistration *self)
{
  g_return_val_if_fail (HAIL_IS_SIP_REGISTRATION (self), HAIL_SIP_REGISTRATION_STATE_UNREGISTERED);

  return self->state;
}

guint
hail_sip_registration_get_granted_expires (HailSipRegistration *self)
{
  g_return_val_if_fail (HAIL_IS_SIP_REGISTRATION (self), 0);

  return self->granted;
}

const char *
hail_sip_registration_get_contact (HailSipRegistration *self)
{
  g_return_val_if_fail (HAIL_IS_SIP_REGISTRATION (self), NULL);

  return self->contact;
}

const GError *
hail_sip_registration_get_error (HailSipRegistration *self)
{
  g_return_val_if_fail (HAIL_IS_SIP_REGISTRATION (self), NULL);

  return self->error;
}

guint
hail_sip_registration_get_status (HailSipRegistration *self)
{
  g_return_val_if_fail (HAIL_IS_SIP_REGISTRATION (self), 0);

  return self->status;
}

const HailSipTarget *
hail_sip_registration_get_target (HailSipRegistration *self)
{
  g_return_val_if_fail (HAIL_IS_SIP_REGISTRATION (self), NULL);

  return self->target;
}

void
hail_sip_registration_register_async (HailSipRegistration *self,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (HAIL_IS_SIP_REGISTRATION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hail_sip_registration_register_async);
  if (self->pending != NULL || self->in_flight)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING, "A REGISTER is in flight");
      return;
    }
  self->pending = g_steal_pointer (&task);
  self->op = OP_REGISTER;
  self->n_423 = 0;
  send_register (self);
}

gboolean
hail_sip_registration_register_finish (HailSipRegistration  *self,
                                       GAsyncResult         *result,
                                       GError              **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
hail_sip_registration_unregister_async (HailSipRegistration *self,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (HAIL_IS_SIP_REGISTRATION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hail_sip_registration_unregister_async);
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  g_clear_handle_id (&self->kick_id, g_source_remove);
  if (self->pending != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING, "A REGISTER is in flight");
      return;
    }
  if (self->in_flight)
    {
      /* A refresh is on its way: unregister as soon as it completes. */
      self->pending = g_steal_pointer (&task);
      self->unregister_queued = TRUE;
      set_state (self, HAIL_SIP_REGISTRATION_STATE_UNREGISTERING);
      return;
    }
  if (self->contact == NULL || self->target == NULL
      || self->state == HAIL_SIP_REGISTRATION_STATE_UNREGISTERED)
    {
      /* Nothing was ever bound. */
      set_state (self, HAIL_SIP_REGISTRATION_STATE_UNREGISTERED);
      g_task_return_boolean (task, TRUE);
      return;
    }
  self->pending = g_steal_pointer (&task);
  self->op = OP_UNREGISTER;
  set_state (self, HAIL_SIP_REGISTRATION_STATE_UNREGISTERING);
  send_register (self);
}

gboolean
hail_sip_registration_unregister_finish (HailSipRegistration  *self,
                                         GAsyncResult         *result,
                                         GError              **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

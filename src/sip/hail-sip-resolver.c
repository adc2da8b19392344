/* hail-sip-resolver.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hail-sip-resolver.h"

#include "hail-sip-error.h"

typedef struct {
  char      *host;
  guint      port;            /* 0: from SRV or the default. */
  gint       kind;            /* -1 until chosen. */
  gboolean   sips;
  guint      service;         /* Index into services[] while trying SRV. */
  GList     *srv;             /* GSrvTarget*, sorted by GResolver. */
  GList     *srv_next;
  GPtrArray *targets;         /* HailSipTarget* */
  GError    *srv_error;       /* The first SRV target lookup that failed. */
  gboolean   srv_none;        /* An SRV record said "no service here". */
} LookupData;

/* §4.1 without NAPTR: the SRV services we try, secure first. */
static const struct {
  const char *service;
  const char *protocol;
  HailSipTransportKind kind;
} services[] = {
  { "sips", "tcp", HAIL_SIP_TRANSPORT_KIND_TLS },
  { "sip", "tcp", HAIL_SIP_TRANSPORT_KIND_TCP },
  { "sip", "udp", HAIL_SIP_TRANSPORT_KIND_UDP },
};

static void
lookup_data_free (LookupData *data)
{
  g_free (data->host);
  g_list_free_full (data->srv, (GDestroyNotify) g_srv_target_free);
  g_clear_pointer (&data->targets, g_ptr_array_unref);
  g_clear_error (&data->srv_error);
  g_free (data);
}

gint
hail_sip_resolver_parse_transport (const char *name)
{
  if (name == NULL)
    return -1;
  if (g_ascii_strcasecmp (name, "udp") == 0)
    return HAIL_SIP_TRANSPORT_KIND_UDP;
  if (g_ascii_strcasecmp (name, "tcp") == 0)
    return HAIL_SIP_TRANSPORT_KIND_TCP;
  if (g_ascii_strcasecmp (name, "tls") == 0)
    return HAIL_SIP_TRANSPORT_KIND_TLS;
  return -1;
}

static guint
default_port (HailSipTransportKind kind)
{
  return kind == HAIL_SIP_TRANSPORT_KIND_TLS ? 5061 : 5060;
}

static void
add_addresses (LookupData           *data,
               GList                *addresses,
               HailSipTransportKind  kind,
               guint                 port)
{
  for (GList *l = addresses; l != NULL; l = l->next)
    {
      g_autoptr(GSocketAddress) address = NULL;

      if (data->targets->len >= HAIL_SIP_RESOLVER_MAX_TARGETS)
        return;
      address = g_inet_socket_address_new (l->data, (guint16) port);
      /* RFC 5922 §4: a TLS server proves the domain of the URI. */
      g_ptr_array_add (data->targets,
                       hail_sip_target_new (kind, G_INET_SOCKET_ADDRESS (address), data->host));
    }
}

static void finish_or_next_srv (GTask *task);

static void
srv_host_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LookupData *data = g_task_get_task_data (task);
  GSrvTarget *srv = data->srv_next->data;
  g_autoptr(GError) error = NULL;
  GList *addresses;

  addresses = g_resolver_lookup_by_name_finish (G_RESOLVER (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (addresses == NULL)
    {
      g_debug ("SRV target %s: %s", g_srv_target_get_hostname (srv), error->message);
      if (data->srv_error == NULL)
        data->srv_error = g_steal_pointer (&error);
    }
  else
    add_addresses (data, addresses, data->kind, g_srv_target_get_port (srv));
  g_resolver_free_addresses (addresses);
  data->srv_next = data->srv_next->next;
  finish_or_next_srv (g_steal_pointer (&task));
}

static void
finish_or_next_srv (GTask *task)
{
  LookupData *data = g_task_get_task_data (task);
  g_autoptr(GResolver) resolver = g_resolver_get_default ();

  if (data->srv_next != NULL && data->targets->len < HAIL_SIP_RESOLVER_MAX_TARGETS)
    {
      GSrvTarget *srv = data->srv_next->data;

      g_resolver_lookup_by_name_async (resolver, g_srv_target_get_hostname (srv),
                                       g_task_get_cancellable (task), srv_host_cb, task);
      return;
    }
  if (data->targets->len == 0
      && data->srv_error != NULL
      && !g_error_matches (data->srv_error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND))
    /* A target whose server failed may exist: not "not found". */
    g_task_return_new_error (task, G_RESOLVER_ERROR,
                             data->srv_error->domain == G_RESOLVER_ERROR
                               ? data->srv_error->code : G_RESOLVER_ERROR_INTERNAL,
                             "DNS lookup failed: no address for the SRV targets of %s: %s",
                             data->host, data->srv_error->message);
  else if (data->targets->len == 0)
    g_task_return_new_error (task, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND,
                             "DNS name not found: no address for the SRV targets of %s",
                             data->host);
  else
    g_task_return_pointer (task, g_steal_pointer (&data->targets),
                           (GDestroyNotify) g_ptr_array_unref);
  g_object_unref (task);
}

static void
host_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LookupData *data = g_task_get_task_data (task);
  GError *error = NULL;
  GList *addresses;
  HailSipTransportKind kind;

  addresses = g_resolver_lookup_by_name_finish (G_RESOLVER (source), result, &error);
  if (addresses == NULL)
    {
      /* GResolver's message names the host already. A temporary failure
       * (SERVFAIL, no answer) must not read as "the name does not exist". */
      if (g_error_matches (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND))
        g_prefix_error (&error, "DNS name not found: ");
      else if (error->domain == G_RESOLVER_ERROR)
        g_prefix_error (&error, "DNS lookup failed: ");
      g_task_return_error (task, error);
      return;
    }
  kind = data->kind >= 0 ? (HailSipTransportKind) data->kind
                         : (data->sips ? HAIL_SIP_TRANSPORT_KIND_TLS : HAIL_SIP_TRANSPORT_KIND_UDP);
  add_addresses (data, addresses, kind, data->port != 0 ? data->port : default_port (kind));
  g_resolver_free_addresses (addresses);
  g_task_return_pointer (task, g_steal_pointer (&data->targets),
                         (GDestroyNotify) g_ptr_array_unref);
}

static void lookup_srv (GTask *task);

static void
srv_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  GTask *task = user_data;
  LookupData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GList *targets;

  targets = g_resolver_lookup_service_finish (G_RESOLVER (source), result, &error);
  if (targets == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          g_object_unref (task);
          return;
        }
      g_debug ("No SRV records _%s._%s.%s: %s", services[data->service].service,
               services[data->service].protocol, data->host, error->message);
      data->service++;
      lookup_srv (task);
      return;
    }
  if (targets->next == NULL
      && (g_str_equal (g_srv_target_get_hostname (targets->data), ".")
          || g_str_equal (g_srv_target_get_hostname (targets->data), "")))
    {
      /* RFC 2782: a lone target "." (the root, which GLib 2.74 gives as
       * "") means the service is decidedly not available at this domain:
       * try the next transport, and never fall back to the domain's own
       * address. */
      g_debug ("_%s._%s.%s: no service (SRV target \".\")", services[data->service].service,
               services[data->service].protocol, data->host);
      g_list_free_full (targets, (GDestroyNotify) g_srv_target_free);
      data->srv_none = TRUE;
      data->service++;
      lookup_srv (task);
      return;
    }
  data->kind = services[data->service].kind;
  data->srv = targets;
  data->srv_next = targets;
  finish_or_next_srv (task);
}

static void
lookup_srv (GTask *task)
{
  LookupData *data = g_task_get_task_data (task);
  g_autoptr(GResolver) resolver = g_resolver_get_default ();

  /* Skip services of another transport than the one asked for. */
  while (data->service < G_N_ELEMENTS (services)
         && ((data->kind >= 0 && (gint) services[data->service].kind != data->kind)
             || (data->sips && services[data->service].kind != HAIL_SIP_TRANSPORT_KIND_TLS)))
    data->service++;
  if (data->service >= G_N_ELEMENTS (services) && data->srv_none)
    {
      g_task_return_new_error (task, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND,
                               "DNS name not found: %s publishes no SIP service "
                               "(its SRV records name the target \".\")", data->host);
      g_object_unref (task);
      return;
    }
  if (data->service >= G_N_ELEMENTS (services))
    {
      /* §4.2: no SRV: the A or AAAA records of the host itself. */
      g_resolver_lookup_by_name_async (resolver, data->host, g_task_get_cancellable (task),
                                       host_cb, task);
      return;
    }
  g_resolver_lookup_service_async (resolver, services[data->service].service,
                                   services[data->service].protocol, data->host,
                                   g_task_get_cancellable (task), srv_cb, task);
}

void
hail_sip_resolver_lookup_async (const HailSipUri    *uri,
                                gint                 kind,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GInetAddress) numeric = NULL;
  g_autofree char *transport = NULL;
  LookupData *data;

  g_return_if_fail (uri != NULL);
  g_return_if_fail (kind >= -1 && kind <= HAIL_SIP_TRANSPORT_KIND_TLS);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, hail_sip_resolver_lookup_async);
  if (hail_sip_uri_get_host (uri) == NULL
      || (hail_sip_uri_get_scheme (uri) != HAIL_SIP_URI_SCHEME_SIP
          && hail_sip_uri_get_scheme (uri) != HAIL_SIP_URI_SCHEME_SIPS))
    {
      g_task_return_new_error (task, HAIL_SIP_ERROR, HAIL_SIP_ERROR_UNSUPPORTED,
                               "%s is not a sip: or sips: URI with a host",
                               hail_sip_uri_to_string (uri));
      return;
    }

  data = g_new0 (LookupData, 1);
  data->host = g_strdup (hail_sip_uri_get_host (uri));
  data->port = hail_sip_uri_get_port (uri);
  data->sips = hail_sip_uri_get_scheme (uri) == HAIL_SIP_URI_SCHEME_SIPS;
  data->targets = g_ptr_array_new_with_free_func ((GDestroyNotify) hail_sip_target_free);
  transport = hail_sip_uri_dup_param (uri, "transport", NULL);
  data->kind = kind;
  if (data->kind < 0 && transport != NULL)
    {
      data->kind = hail_sip_resolver_parse_transport (transport);
      if (data->kind < 0)
        {
          lookup_data_free (data);
          g_task_return_new_error (task, HAIL_SIP_ERROR, HAIL_SIP_ERROR_UNSUPPORTED,
                                   "Unsupported transport “%s”", transport);
          return;
        }
    }
  if (data->kind < 0 && data->sips)
    data->kind = HAIL_SIP_TRANSPORT_KIND_TLS;
  g_task_set_task_data (task, data, (GDestroyNotify) lookup_data_free);

  numeric = g_inet_address_new_from_string (data->host);
  if (numeric != NULL)
    {
      GList one = { numeric, NULL, NULL };
      HailSipTransportKind chosen = data->kind >= 0 ? (HailSipTransportKind) data->kind
                                                    : HAIL_SIP_TRANSPORT_KIND_UDP;

      /* §4.1, §4.2: a numeric host is used as it is; TLS then checks the
       * certificate against the address. */
      g_clear_pointer (&data->host, g_free);
      add_addresses (data, &one, chosen, data->port != 0 ? data->port : default_port (chosen));
      g_task_return_pointer (task, g_steal_pointer (&data->targets),
                             (GDestroyNotify) g_ptr_array_unref);
      return;
    }
  if (data->port != 0)
    {
      g_autoptr(GResolver) resolver = g_resolver_get_default ();

      g_resolver_lookup_by_name_async (resolver, data->host, cancellable, host_cb,
                                       g_steal_pointer (&task));
      return;
    }
  lookup_srv (g_steal_pointer (&task));
}

GPtrArray *
hail_sip_resolver_lookup_finish (GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* hail-cli-options.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `hail-cli options URI`: send OPTIONS, print the answer as
 * `options-answer`; exit 0 on a 2xx, else 1.
 */
#include "config.h"

#include "hail-cli-context.h"

#include "hail-cli-event.h"
#include "hail-sip-registration.h"

#include <glib/gi18n.h>

static void
options_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  HailCliContext *ctx = user_data;
  g_autoptr(HailSipMessage) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HailCliEvent) event = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *allow = NULL;
  g_autofree char *accept = NULL;
  guint status;

  response = hail_account_options_finish (HAIL_ACCOUNT (source), result, &error);
  if (response == NULL)
    {
      g_autofree char *text = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      text = hail_sip_describe_failure (error, 0, NULL);
      hail_cli_context_error (ctx, text);
      hail_cli_context_finish (ctx, 1);
      return;
    }
  status = hail_sip_message_get_status (response);
  reason = hail_sip_span_dup (hail_sip_message_get_reason (response));
  allow = hail_sip_message_dup_header (response, "Allow");
  accept = hail_sip_message_dup_header (response, "Accept");
  event = hail_cli_event_new ("options-answer");
  hail_cli_event_add_int (event, "status", status);
  hail_cli_event_add_string (event, "reason", reason);
  hail_cli_event_add_string (event, "allow", allow != NULL ? allow : "");
  hail_cli_event_add_string (event, "accept", accept != NULL ? accept : "");
  hail_cli_event_emit (event, ctx->opts.json);
  hail_cli_context_finish (ctx, status >= 200 && status < 300 ? 0 : 1);
}

static void
registered (HailCliContext *ctx,
            gboolean        ok)
{
  if (!ok)
    {
      hail_cli_context_finish (ctx, 1);
      return;
    }
  if (ctx->stopping)
    {
      hail_cli_context_finish (ctx, 1);
      return;
    }
  hail_account_options_async (ctx->account, ctx->command_data, ctx->cancellable, options_cb, ctx);
}

int
hail_cli_options_run (HailCliContext  *ctx,
                      int              argc,
                      char           **argv)
{
  g_autoptr(GOptionContext) context =
    g_option_context_new (_("URI - ask a SIP peer what it supports"));
  g_autoptr(GError) error = NULL;
  g_autoptr(HailSipUri) uri = NULL;

  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      hail_cli_context_error (ctx, error->message);
      return 2;
    }
  if (argc != 2)
    {
      hail_cli_context_error (ctx, _("options takes one URI"));
      return 2;
    }
  uri = hail_cli_context_parse_uri (ctx, argv[1]);
  if (uri == NULL)
    return 2;
  if (!hail_cli_context_prepare (ctx, NULL))
    return ctx->exit_code;
  ctx->command_data = argv[1];
  hail_cli_context_register (ctx, registered);
  return hail_cli_context_run (ctx);
}

/* hail-cli-register.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `hail-cli register [--stay]`: REGISTER, print `registered`, then
 * unregister and exit; with --stay keep refreshing until SIGINT/SIGTERM.
 */
#include "config.h"

#include "hail-cli-context.h"

#include <glib/gi18n.h>

typedef struct {
  gboolean stay;
} RegisterOptions;

static void
stop (HailCliContext *ctx)
{
  hail_cli_context_finish (ctx, ctx->registered ? 0 : 1);
}

static void
registered (HailCliContext *ctx,
            gboolean        ok)
{
  RegisterOptions *opts = ctx->command_data;

  if (!ok)
    {
      hail_cli_context_finish (ctx, 1);
      return;
    }
  if (!opts->stay || ctx->stopping)
    hail_cli_context_finish (ctx, 0);
}

int
hail_cli_register_run (HailCliContext  *ctx,
                       int              argc,
                       char           **argv)
{
  RegisterOptions opts = { 0 };
  g_autoptr(GOptionContext) context = g_option_context_new (_("- register the account"));
  g_autoptr(GError) error = NULL;
  const GOptionEntry entries[] = {
    { "stay", 0, 0, G_OPTION_ARG_NONE, &opts.stay,
      N_("Keep the registration until SIGINT or SIGTERM"), NULL },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      hail_cli_context_error (ctx, error->message);
      return 2;
    }
  if (argc > 1)
    {
      hail_cli_context_error (ctx, _("register takes no arguments"));
      return 2;
    }
  if (ctx->opts.no_register)
    {
      hail_cli_context_error (ctx, _("register cannot be used with --no-register"));
      return 2;
    }
  if (!hail_cli_context_prepare (ctx, NULL))
    return ctx->exit_code;
  ctx->command_data = &opts;
  ctx->on_stop = stop;
  hail_cli_context_register (ctx, registered);
  return hail_cli_context_run (ctx);
}

/* hail-sip-tls-private.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * OpenSSL stays inside src/sip: only the TLS files include this.
 */
#pragma once

#include <openssl/ssl.h>

#include "hail-sip-tls-context.h"

G_BEGIN_DECLS

/* Borrowed; lives as long as @self. */
SSL_CTX *_hail_sip_tls_context_get_ssl_ctx (HailSipTlsContext *self);

/* Sets @error from the OpenSSL error queue (and empties it), prefixed with
 * @what; HAIL_SIP_ERROR_TLS. */
void     _hail_sip_tls_set_error           (GError     **error,
                                            const char  *what);

G_END_DECLS

/* hail-sip-tls-private.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * OpenSSL stays inside src/sip: only the TLS files include this.
 */
#pragma once

#include <openssl/ssl.h>

#include "hail-sip-tls-context.h"
#include "hail-sip-tls-identity.h"

G_BEGIN_DECLS

/* Borrowed; lives as long as @self. */
SSL_CTX *_hail_sip_tls_context_get_ssl_ctx (HailSipTlsContext *self);

/* Sets @error from the OpenSSL error queue (and empties it), prefixed with
 * @what; HAIL_SIP_ERROR_TLS. */
void     _hail_sip_tls_set_error           (GError     **error,
                                            const char  *what);

/* Borrowed; live as long as @self. */
X509     *_hail_sip_tls_identity_get_certificate (HailSipTlsIdentity *self);
EVP_PKEY *_hail_sip_tls_identity_get_key         (HailSipTlsIdentity *self);

/* Reads an a=fingerprint value hail_sip_tls_fingerprint_check() accepts
 * into its hash and @digest (EVP_MAX_MD_SIZE bytes) of @len bytes. */
gboolean  _hail_sip_tls_fingerprint_parse        (const char         *value,
                                                  const EVP_MD      **md,
                                                  guint8             *digest,
                                                  guint              *len,
                                                  GError            **error);

G_END_DECLS

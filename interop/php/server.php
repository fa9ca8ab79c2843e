<?php
// A verifying server on PHP's PECL oauth extension: OAuthProvider::checkOAuthRequest() under
// `php -S` (the built-in web server), with cases.json's `server` and `server_awkward` clients and tokens
// (INTEROP_CASES; RSA-SHA1: the public key of INTEROP_RSA_PUB as the consumer secret).
// 200 "verified", or 401 with the extension's own base string (the exception's additionalInfo).
$cases = json_decode(file_get_contents(getenv('INTEROP_CASES')), true, 512, JSON_THROW_ON_ERROR);
$creds = [$cases['server']['consumer_key'] => $cases['server'], $cases['server_awkward']['consumer_key'] => $cases['server_awkward']];
header('Content-Type: text/plain; charset=utf-8');
try {
    $p = new OAuthProvider();
    $s = null;
    $p->consumerHandler(function ($p) use ($creds, &$s) {
        $s = $creds[$p->consumer_key] ?? null;
        if (!$s) return OAUTH_CONSUMER_KEY_UNKNOWN;
        $p->consumer_secret = $p->signature_method === 'RSA-SHA1' ? file_get_contents(getenv('INTEROP_RSA_PUB')) : $s['consumer_secret'];
        return OAUTH_OK;
    });
    $p->tokenHandler(function ($p) use (&$s) {
        if ($p->token !== $s['token']) return OAUTH_TOKEN_REJECTED;
        $p->token_secret = $s['token_secret'];
        return OAUTH_OK;
    });
    $p->timestampNonceHandler(fn($p) => OAUTH_OK);
    $p->checkOAuthRequest();
    echo "verified\n";
} catch (OAuthException $e) {
    http_response_code(401);
    echo 'OAuthProvider: ', $e->getMessage(), "\n";
    // For a signature mismatch, additionalInfo is the extension's base string.
    if (!empty($e->additionalInfo)) echo 'base string: ', $e->additionalInfo, "\n";
}

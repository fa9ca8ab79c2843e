<?php
// PHP's PECL oauth extension (class OAuth) as a client of `oauth1 serve`:
//   php client.php BASE_URL CASES_JSON METHOD:PLACEMENT...
// Placement is the extension's auth type (OAUTH_AUTH_TYPE_AUTHORIZATION, _URI, _FORM). Request
// parameters are a PHP array (a repeated name is an array value) or the URL's query. RSA-SHA1:
// the private key (PEM, from the file INTEROP_RSA_KEY) through setRSACertificate. See
// ../python/client.py for the steps.
$AUTH = ['header' => OAUTH_AUTH_TYPE_AUTHORIZATION, 'query' => OAUTH_AUTH_TYPE_URI, 'body' => OAUTH_AUTH_TYPE_FORM];
$METHOD = ['HMAC-SHA1' => OAUTH_SIG_METHOD_HMACSHA1, 'HMAC-SHA256' => OAUTH_SIG_METHOD_HMACSHA256, 'PLAINTEXT' => OAUTH_SIG_METHOD_PLAINTEXT, 'RSA-SHA1' => OAUTH_SIG_METHOD_RSASHA1];

function step(array &$steps, string $name, callable $fn, ?OAuth $o = null): bool {
    try {
        $fn();
        $steps[$name] = 'ok';
        return true;
    } catch (Throwable $e) {
        $detail = $e->getMessage();
        if ($e instanceof OAuthException && $e->lastResponse) $detail .= ': ' . $e->lastResponse;
        // the extension's own base string (enableDebug)
        if ($o && !empty($o->debugInfo['sbs'])) $detail .= "\nbase string: " . $o->debugInfo['sbs'];
        $steps[$name] = substr(get_class($e) . ': ' . $detail, 0, 1500);
        return false;
    }
}

function form(array $pairs): string {
    return implode('&', array_map(fn($p) => rawurlencode($p[0]) . '=' . rawurlencode($p[1]), $pairs));
}

function as_array(array $pairs): array {
    $a = [];
    foreach ($pairs as [$k, $v]) {
        if (!array_key_exists($k, $a)) $a[$k] = $v;
        else { $a[$k] = (array)$a[$k]; $a[$k][] = $v; }
    }
    return $a;
}

function run(string $base, array $cases, string $method, string $placement): array {
    global $AUTH, $METHOD;
    $steps = [];
    $c = $cases['client'];
    $make = function (?array $who = null) use ($c, $method, $placement, $AUTH, $METHOD) {
        $who = $who ?? $c;
        $o = new OAuth($who['consumer_key'], $who['consumer_secret'], $METHOD[$method], $AUTH[$placement]);
        if ($method === 'RSA-SHA1') $o->setRSACertificate(file_get_contents(getenv('INTEROP_RSA_KEY')));
        $o->setRequestEngine(OAUTH_REQENGINE_STREAMS);
        $o->enableDebug();
        return $o;
    };
    step($steps, 'callback', fn() => $make()->getRequestToken("$base/oauth/request_token", $c['awkward_callback'], 'POST'));
    $a = $cases['client_awkward'];
    $odd = $make($a);
    step($steps, 'secrets', function () use ($odd, $base, $a) {
        $odd->setToken($a['token'], $a['token_secret']);
        $odd->fetch("$base/1.1/statuses/update.json", ['status' => $a['status']], OAUTH_HTTP_METHOD_POST);
        $read = json_decode($odd->getLastResponse(), true)['text'] ?? null;
        if ($read !== $a['status']) throw new RuntimeException('the provider read status=' . json_encode($read) . ', sent ' . json_encode($a['status']));
    }, $odd);
    $o = $make();
    $rt = $verifier = $at = null;
    $ok = step($steps, 'request_token', function () use ($o, $base, $c, &$rt) {
        $rt = $o->getRequestToken("$base/oauth/request_token", $c['callback'], 'POST');
        if (empty($rt['oauth_token'])) throw new RuntimeException('no token: ' . json_encode($rt));
    }) && step($steps, 'authorize', function () use ($base, &$rt, &$verifier) {
        $ctx = stream_context_create(['http' => ['follow_location' => 0, 'ignore_errors' => true, 'timeout' => 10]]);
        file_get_contents("$base/oauth/authorize?oauth_token=" . rawurlencode($rt['oauth_token']), false, $ctx);
        $loc = '';
        foreach ($http_response_header as $h) if (stripos($h, 'location:') === 0) $loc = trim(substr($h, 9));
        parse_str((string)parse_url($loc, PHP_URL_QUERY), $q);
        $verifier = $q['oauth_verifier'] ?? null;
        if (!$verifier) throw new RuntimeException("{$http_response_header[0]}, Location $loc");
    }) && step($steps, 'access_token', function () use ($o, $base, &$rt, &$verifier, &$at) {
        $o->setToken($rt['oauth_token'], $rt['oauth_token_secret']);
        $at = $o->getAccessToken("$base/oauth/access_token", '', $verifier, 'POST');
        if (empty($at['oauth_token'])) throw new RuntimeException('no token: ' . json_encode($at));
    });
    if (!$ok) return $steps;
    $o->setToken($at['oauth_token'], $at['oauth_token_secret']);
    if ($placement !== 'body') {
        step($steps, 'get', fn() => $o->fetch("$base/1.1/account/verify_credentials.json?" . form($cases['query']), [], OAUTH_HTTP_METHOD_GET), $o);
    }
    step($steps, 'post', function () use ($o, $base, $cases) {
        $o->fetch("$base/1.1/statuses/update.json", as_array($cases['form']), OAUTH_HTTP_METHOD_POST);
        $sent = as_array($cases['form'])['status'];
        $read = json_decode($o->getLastResponse(), true)['text'] ?? null;
        if ($read !== $sent) throw new RuntimeException('the provider read status=' . json_encode($read) . ', sent ' . json_encode($sent));
    }, $o);
    return $steps;
}

[$_, $base, $path] = $argv;
$cases = json_decode(file_get_contents($path), true, 512, JSON_THROW_ON_ERROR);
foreach (array_slice($argv, 3) as $combo) {
    [$method, $placement] = explode(':', $combo);
    try {
        $steps = run($base, $cases, $method, $placement);
    } catch (Throwable $e) {
        $steps = ['error' => substr($e->getMessage(), 0, 500)];
    }
    echo json_encode(['method' => $method, 'placement' => $placement, 'steps' => $steps], JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE), "\n";
}

#!/usr/bin/perl
# Perl's Net::OAuth as a client of `oauth1 serve`:
#   perl client.pl BASE_URL CASES_JSON METHOD:PLACEMENT...
# Net::OAuth builds and signs each message (request token, access token, protected resource);
# it is placed with to_authorization_header, to_url or to_post_body and sent with LWP. Request
# parameters are a hash (extra_params) plus the request URL's query. RSA-SHA1: the private key
# (PEM, from the file INTEROP_RSA_KEY) as a Crypt::OpenSSL::RSA signature_key. See
# ../python/client.py for the steps.
use strict;
use warnings;
use utf8;
use Encode qw(encode_utf8);
use JSON::PP;
use LWP::UserAgent;
use HTTP::Request;
use URI;
use URI::Escape qw(uri_escape_utf8);
use Net::OAuth;
use Crypt::OpenSSL::RSA;
$Net::OAuth::PROTOCOL_VERSION = Net::OAuth::PROTOCOL_VERSION_1_0A;

my $ua = LWP::UserAgent->new(max_redirect => 0, timeout => 10);
my $json = JSON::PP->new->canonical;

sub nonce { join '', map { ('a'..'z', 'A'..'Z', 0..9)[rand 62] } 1..24 }

sub form { join '&', map { uri_escape_utf8($_->[0], '^\w.~-') . '=' . uri_escape_utf8($_->[1], '^\w.~-') } @_ }

# Signs a message of TYPE for METHOD URL (its query in it) with the form PAIRS, places it, sends it.
sub signed {
    my ($type, $placement, $method, $url, $pairs, %args) = @_;
    my %extra = map { $_->[0] => $_->[1] } @{$pairs || []};
    my $msg = Net::OAuth->request($type)->new(
        request_url => $url, request_method => $method, timestamp => time, nonce => nonce(),
        (%extra ? (extra_params => \%extra) : ()), %args,
    );
    $msg->sign;
    my $body = $pairs ? form(@$pairs) : undef;
    my $req;
    if ($placement eq 'header') {
        $req = HTTP::Request->new($method => $url);
        $req->header(Authorization => $msg->to_authorization_header);
    } else {
        # to_url and to_post_body write every parameter, the request's too: the protocol
        # parameters alone (from to_hash) are appended to the query or form body as sent.
        my $h = $msg->to_hash;
        my $oauth = join '&', map { Net::OAuth::Message::encode($_) . '=' . Net::OAuth::Message::encode($h->{$_}) } sort grep { /^oauth_/ } keys %$h;
        if ($placement eq 'query') {
            $req = HTTP::Request->new($method => $url . ($url =~ /\?/ ? '&' : '?') . $oauth);
        } else {
            $req = HTTP::Request->new($method => $url);
            $body = defined $body ? "$body&$oauth" : $oauth;
        }
    }
    if (defined $body) {
        $req->header('Content-Type' => 'application/x-www-form-urlencoded');
        $req->content($body);
    } elsif ($method eq 'POST') {
        $req->header('Content-Length' => 0);
    }
    my $res = $ua->request($req);
    return $res;
}

sub check {
    my ($res) = @_;
    die 'HTTP ' . $res->code . ': ' . substr($res->decoded_content // '', 0, 300) . "\n" unless $res->code == 200;
    return $res;
}

sub step {
    my ($steps, $name, $fn) = @_;
    my $ok = eval { $fn->(); 1 };
    $steps->{$name} = $ok ? 'ok' : substr("$@", 0, 500);
    $steps->{$name} =~ s/\s+$//;
    return $ok;
}

sub run {
    my ($base, $cases, $method, $placement) = @_;
    my %steps;
    my $c = $cases->{client};
    my @rsa;
    if ($method eq 'RSA-SHA1') {
        open my $k, '<', $ENV{INTEROP_RSA_KEY} or die "INTEROP_RSA_KEY: $!\n";
        @rsa = (signature_key => Crypt::OpenSSL::RSA->new_private_key(do { local $/; <$k> }));
    }
    my %consumer = (consumer_key => $c->{consumer_key}, consumer_secret => $c->{consumer_secret}, signature_method => $method, @rsa);
    my $token_request = sub {
        my ($cb) = @_;
        my $res = check(signed('request token', $placement, 'POST', "$base/oauth/request_token", undef, %consumer, callback => $cb));
        return { URI->new('?' . $res->content)->query_form };
    };
    step(\%steps, 'callback', sub { $token_request->($c->{awkward_callback}) });
    step(\%steps, 'secrets', sub {
        my $aw = $cases->{client_awkward};
        my $res = check(signed('protected resource', $placement, 'POST', "$base/1.1/statuses/update.json", [[status => $aw->{status}]],
            consumer_key => $aw->{consumer_key}, consumer_secret => $aw->{consumer_secret}, signature_method => $method, @rsa,
            token => $aw->{token}, token_secret => $aw->{token_secret}));
        my $read = decode_json($res->content)->{text};
        die "the provider read status=$read, sent $aw->{status}\n" unless $read eq $aw->{status};
    });
    my ($rt, $verifier, $at);
    my $ok = step(\%steps, 'request_token', sub { $rt = $token_request->($c->{callback}) })
      && step(\%steps, 'authorize', sub {
            my $u = URI->new("$base/oauth/authorize");
            $u->query_form(oauth_token => $rt->{oauth_token});
            my $res = $ua->get($u);
            my $loc = $res->header('Location') // '';
            $verifier = { URI->new($loc)->query_form }->{oauth_verifier};
            die 'HTTP ' . $res->code . ", Location $loc\n" unless $res->code == 302 && $verifier;
        })
      && step(\%steps, 'access_token', sub {
            my $res = check(signed('access token', $placement, 'POST', "$base/oauth/access_token", undef, %consumer,
                token => $rt->{oauth_token}, token_secret => $rt->{oauth_token_secret}, verifier => $verifier));
            $at = { URI->new('?' . $res->content)->query_form };
        });
    return \%steps unless $ok;
    my %token = (%consumer, token => $at->{oauth_token}, token_secret => $at->{oauth_token_secret});
    if ($placement ne 'body') {
        step(\%steps, 'get', sub {
            check(signed('protected resource', $placement, 'GET', "$base/1.1/account/verify_credentials.json?" . form(@{$cases->{query}}), undef, %token));
        });
    }
    step(\%steps, 'post', sub {
        my $res = check(signed('protected resource', $placement, 'POST', "$base/1.1/statuses/update.json", $cases->{form}, %token));
        my ($sent) = map { $_->[1] } grep { $_->[0] eq 'status' } @{$cases->{form}};
        my $read = decode_json($res->content)->{text};
        die "the provider read status=$read, sent $sent\n" unless $read eq $sent;
    });
    return \%steps;
}

my ($base, $cases_path, @combos) = @ARGV;
open my $fh, '<:raw', $cases_path or die "$cases_path: $!";
my $cases = decode_json(do { local $/; <$fh> });
$| = 1;
for my $combo (@combos) {
    my ($method, $placement) = split /:/, $combo;
    my $steps = eval { run($base, $cases, $method, $placement) } || { error => substr("$@", 0, 500) };
    print $json->encode({ method => $method, placement => $placement, steps => $steps }), "\n";
}

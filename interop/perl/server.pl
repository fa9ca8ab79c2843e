#!/usr/bin/perl
# A verifying server on Perl's Net::OAuth: the received protocol parameters (from the
# Authorization header, the query or the form body) and the form body's parameters go to
# Net::OAuth->request('protected resource')->from_hash, the request URL (its own query kept,
# oauth_* taken out) to request_url, and ->verify decides (RSA-SHA1: the public key as
# signature_key). 200 "verified", or 401 with Net::OAuth's base string.
#   perl server.pl PORT CASES_JSON RSA_PUBLIC_PEM RSA_PRIVATE_PEM
use strict;
use warnings;
use Encode qw(decode_utf8);
use HTTP::Daemon;
use HTTP::Response;
use JSON::PP;
use URI;
use URI::Escape qw(uri_unescape uri_escape);
use Crypt::OpenSSL::RSA;
use Net::OAuth;
$Net::OAuth::PROTOCOL_VERSION = Net::OAuth::PROTOCOL_VERSION_1_0A;

my ($port, $cases_path, $pub_path) = @ARGV;
open my $fh, '<:raw', $cases_path or die "$cases_path: $!";
my $cases = decode_json(do { local $/; <$fh> });
my @creds = ($cases->{server}, $cases->{server_awkward});
my $pub = do { local $/; open my $p, '<', $pub_path or die $!; <$p> };

sub pairs {
    my ($text) = @_;
    return map { my ($k, $v) = split /=/, $_, 2; $v //= ''; tr/+/ / for $k, $v; [decode_utf8(uri_unescape($k)), decode_utf8(uri_unescape($v))] }
      grep { length } split /&/, ($text // '');
}

sub check {
    my ($r) = @_;
    my (%oauth, %body);
    my $auth = $r->header('Authorization') // '';
    if ($auth =~ s/^OAuth\s+//i) {
        while ($auth =~ /([^\s=,]+)="([^"]*)"/g) { $oauth{uri_unescape($1)} = decode_utf8(uri_unescape($2)) unless $1 eq 'realm' }
    }
    my $uri = URI->new('http://' . $r->header('Host') . $r->uri);
    my @query = grep { $_->[0] =~ /^oauth_/ ? (($oauth{$_->[0]} = $_->[1]), 0) : 1 } pairs($uri->query);
    if (($r->header('Content-Type') // '') =~ m{^application/x-www-form-urlencoded}i) {
        for (pairs($r->content)) { if ($_->[0] =~ /^oauth_/) { $oauth{$_->[0]} = $_->[1] } else { $body{$_->[0]} = $_->[1] } }
    }
    my ($s) = grep { $_->{consumer_key} eq ($oauth{oauth_consumer_key} // '') && $_->{token} eq ($oauth{oauth_token} // '') } @creds;
    die "unknown consumer or token\n" unless $s;
    my $url = $uri->clone;
    $url->query(@query ? join('&', map { uri_escape($_->[0]) . '=' . uri_escape($_->[1]) } map { [Encode::encode_utf8($_->[0]), Encode::encode_utf8($_->[1])] } @query) : undef);
    my $req = Net::OAuth->request('protected resource')->from_hash(
        { %body, %oauth },
        request_url => $url, request_method => $r->method,
        consumer_secret => $s->{consumer_secret}, token_secret => $s->{token_secret},
        ($oauth{oauth_signature_method} eq 'RSA-SHA1' ? (signature_key => Crypt::OpenSSL::RSA->new_public_key($pub)) : ()),
    );
    return $req->verify ? (200, "verified\n") : (401, "signature mismatch\nbase string: " . $req->signature_base_string . "\n");
}

my $d = HTTP::Daemon->new(LocalAddr => '127.0.0.1', LocalPort => $port, ReuseAddr => 1) or die "listen: $!";
while (my $c = $d->accept) {
    while (my $r = $c->get_request) {
        my ($code, $text) = eval { check($r) };
        ($code, $text) = (401, "error: $@") unless $code;
        my $res = HTTP::Response->new($code, undef, ['Content-Type' => 'text/plain; charset=utf-8', Connection => 'close'], Encode::encode_utf8($text));
        $c->send_response($res);
        last;
    }
    $c->close;
}

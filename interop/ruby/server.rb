# A verifying server on the Ruby `oauth` gem: OAuth::Signature.build(...).verify over the gem's
# Rack request proxy (what servers built on the gem use), with cases.json's `server` and `server_awkward` secrets
# (RSA-SHA1: the public key). 200 "verified", or 401 with the gem's base string.
#   ruby server.rb PORT CASES_JSON RSA_PUBLIC_PEM RSA_PRIVATE_PEM
# Plain TCPServer: Ruby 3 has no HTTP server in its standard library.
require "json"
require "rack"
require "socket"
require "stringio"
require "oauth"
require "oauth/request_proxy/rack_request"
require "oauth/signature/hmac/sha1"
require "oauth/signature/plaintext"
require "oauth/signature/rsa/sha1"

port, cases_path, pub_path = ARGV
CASES = JSON.parse(File.read(cases_path, encoding: "UTF-8"))
CREDS = [CASES["server"], CASES["server_awkward"]].freeze
PUB = File.read(pub_path)

def answer(client, status, text)
  client.write("HTTP/1.1 #{status} #{status == 200 ? 'OK' : 'Unauthorized'}\r\nContent-Type: text/plain; charset=utf-8\r\n" \
               "Content-Length: #{text.bytesize}\r\nConnection: close\r\n\r\n#{text}")
end

def handle(client)
  line = client.gets("\r\n") or return
  verb, target, = line.split(" ")
  headers = {}
  while (h = client.gets("\r\n")) && h != "\r\n"
    k, v = h.split(":", 2)
    headers[k.strip.split("-").map(&:capitalize).join("-")] = v.strip
  end
  body = client.read(headers["Content-Length"].to_i).to_s
  path, query = target.split("?", 2)
  host, port = headers.fetch("Host").split(":")
  env = { "REQUEST_METHOD" => verb, "PATH_INFO" => path, "QUERY_STRING" => query.to_s, "SCRIPT_NAME" => "",
          "SERVER_NAME" => host, "SERVER_PORT" => port, "HTTP_HOST" => headers["Host"], "rack.url_scheme" => "http",
          "rack.input" => StringIO.new(body), "CONTENT_LENGTH" => body.bytesize.to_s }
  env["CONTENT_TYPE"] = headers["Content-Type"] if headers["Content-Type"]
  env["HTTP_AUTHORIZATION"] = headers["Authorization"] if headers["Authorization"]
  req = Rack::Request.new(env)
  proxy = OAuth::RequestProxy.proxy(req)
  method = proxy.oauth_signature_method.to_s
  s = CREDS.find { |c| c["consumer_key"] == proxy.parameters["oauth_consumer_key"] && c["token"] == proxy.parameters["oauth_token"] }
  raise "unknown consumer or token" unless s

  opts = method.casecmp?("RSA-SHA1") ? { consumer_secret: PUB } : { consumer_secret: s["consumer_secret"], token_secret: s["token_secret"] }
  sig = OAuth::Signature.build(req, opts)
  if sig.verify
    answer(client, 200, "verified\n")
  else
    answer(client, 401, "signature mismatch\nbase string: #{sig.signature_base_string}\n")
  end
rescue StandardError, OAuth::Signature::UnknownSignatureMethod => e
  answer(client, 401, "error: #{e.class}: #{e.message}\n")
end

server = TCPServer.new("127.0.0.1", port.to_i)
loop do
  client = server.accept
  begin
    handle(client)
  ensure
    client.close
  end
end

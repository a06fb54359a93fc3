// Preloaded (node --require) into a process that must not touch the network: every way out is
// refused, and each attempt is recorded in the file named by SAMBA_NET_LOG.
const fs = require('node:fs');
const log = (what) => {
  fs.appendFileSync(process.env.SAMBA_NET_LOG, `${what}\n`);
  return new Error(`network refused: ${what}`);
};
const net = require('node:net');
const tls = require('node:tls');
const dns = require('node:dns');
const http = require('node:http');
const https = require('node:https');
net.Socket.prototype.connect = function () { throw log('net.Socket.connect'); };
net.connect = net.createConnection = () => { throw log('net.connect'); };
tls.connect = () => { throw log('tls.connect'); };
dns.lookup = () => { throw log('dns.lookup'); };
dns.promises.lookup = async () => { throw log('dns.promises.lookup'); };
dns.resolve = () => { throw log('dns.resolve'); };
http.request = http.get = () => { throw log('http.request'); };
https.request = https.get = () => { throw log('https.request'); };
globalThis.fetch = async (url) => { throw log(`fetch ${url}`); };

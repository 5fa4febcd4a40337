//! A small JSON-RPC client over HTTP/1.1 keep-alive, on the standard library: the node serves
//! HTTP and WebSocket on one port, and batches of requests in one POST keep the load generator
//! light. (A WebSocket client crate would compile a second copy of the node's RPC stack.)

use serde_json::{json, Value};
use std::{
	fmt::Write as _,
	io::{BufRead, BufReader, Read, Write},
	net::TcpStream,
	time::Duration,
};

/// One keep-alive connection to a node's RPC port on loopback.
pub struct Rpc {
	port: u16,
	stream: Option<BufReader<TcpStream>>,
	next_id: u64,
}

/// A failed call: the transport's or the node's error, in words.
pub type RpcError = String;

impl Rpc {
	pub fn new(port: u16) -> Self {
		Self { port, stream: None, next_id: 1 }
	}

	/// Calls `method`; the node's error is returned as `Err` with its message.
	pub fn call(&mut self, method: &str, params: Value) -> Result<Value, RpcError> {
		let mut results = self.batch(&[(method, params)])?;
		results.pop().ok_or_else(|| "empty response".to_string())?
	}

	/// Calls every `(method, params)` in one batch; each answer in the order asked.
	pub fn batch(
		&mut self,
		calls: &[(&str, Value)],
	) -> Result<Vec<Result<Value, RpcError>>, RpcError> {
		let first = self.next_id;
		self.next_id += calls.len() as u64;
		let body: Vec<Value> = calls
			.iter()
			.enumerate()
			.map(|(i, (method, params))| {
				json!({"jsonrpc": "2.0", "id": first + i as u64, "method": method, "params": params})
			})
			.collect();
		let body = serde_json::to_vec(&body).map_err(|e| e.to_string())?;
		let response = match self.post(&body) {
			Ok(response) => response,
			// A keep-alive connection the server closed: once more on a new one.
			Err(_) => {
				self.stream = None;
				self.post(&body)?
			},
		};
		let answers: Vec<Value> = match serde_json::from_slice(&response) {
			Ok(Value::Array(answers)) => answers,
			Ok(other) => return Err(format!("not a batch answer: {other}")),
			Err(e) => return Err(format!("malformed answer: {e}")),
		};
		let mut results: Vec<Result<Value, RpcError>> =
			(0..calls.len()).map(|_| Err("no answer".to_string())).collect();
		for answer in answers {
			let Some(id) = answer.get("id").and_then(Value::as_u64) else { continue };
			let Some(slot) = id.checked_sub(first).and_then(|i| results.get_mut(i as usize)) else {
				continue;
			};
			*slot = match (answer.get("result"), answer.get("error")) {
				(_, Some(error)) => Err(error
					.get("message")
					.and_then(Value::as_str)
					.map(|m| match error.get("data").and_then(Value::as_str) {
						Some(data) => format!("{m}: {data}"),
						None => m.to_string(),
					})
					.unwrap_or_else(|| error.to_string())),
				(Some(result), None) => Ok(result.clone()),
				(None, None) => Err("neither result nor error".to_string()),
			};
		}
		Ok(results)
	}

	fn connect(&mut self) -> Result<&mut BufReader<TcpStream>, RpcError> {
		if self.stream.is_none() {
			let stream = TcpStream::connect(("127.0.0.1", self.port))
				.map_err(|e| format!("connecting to 127.0.0.1:{}: {e}", self.port))?;
			stream.set_nodelay(true).map_err(|e| e.to_string())?;
			stream.set_read_timeout(Some(Duration::from_secs(60))).map_err(|e| e.to_string())?;
			self.stream = Some(BufReader::with_capacity(1 << 20, stream));
		}
		self.stream.as_mut().ok_or_else(|| "no connection".to_string())
	}

	fn post(&mut self, body: &[u8]) -> Result<Vec<u8>, RpcError> {
		let port = self.port;
		let reader = self.connect()?;
		let head = format!(
			"POST / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n\
			 Content-Length: {}\r\nConnection: keep-alive\r\n\r\n",
			body.len()
		);
		let stream = reader.get_mut();
		stream
			.write_all(head.as_bytes())
			.and_then(|_| stream.write_all(body))
			.map_err(|e| format!("sending to port {port}: {e}"))?;
		let result = read_response(reader);
		if result.is_err() {
			self.stream = None;
		}
		result
	}
}

/// Reads one HTTP response: its body, by `Content-Length` or chunked.
fn read_response(reader: &mut BufReader<TcpStream>) -> Result<Vec<u8>, RpcError> {
	let mut line = String::new();
	reader.read_line(&mut line).map_err(|e| format!("reading the status: {e}"))?;
	let status = line.split_whitespace().nth(1).unwrap_or_default().to_string();
	let (mut length, mut chunked) = (None, false);
	loop {
		line.clear();
		if reader.read_line(&mut line).map_err(|e| e.to_string())? == 0 {
			return Err("connection closed in the headers".into());
		}
		let header = line.trim_end();
		if header.is_empty() {
			break;
		}
		if let Some((name, value)) = header.split_once(':') {
			let (name, value) = (name.trim().to_ascii_lowercase(), value.trim());
			if name == "content-length" {
				length = value.parse::<usize>().ok();
			} else if name == "transfer-encoding" && value.eq_ignore_ascii_case("chunked") {
				chunked = true;
			}
		}
	}
	let mut body = Vec::new();
	if chunked {
		loop {
			line.clear();
			reader.read_line(&mut line).map_err(|e| e.to_string())?;
			let size = usize::from_str_radix(line.trim(), 16).map_err(|e| e.to_string())?;
			let start = body.len();
			body.resize(start + size, 0);
			reader.read_exact(&mut body[start..]).map_err(|e| e.to_string())?;
			line.clear();
			reader.read_line(&mut line).map_err(|e| e.to_string())?;
			if size == 0 {
				break;
			}
		}
	} else {
		let length = length.ok_or("a response without a length")?;
		body.resize(length, 0);
		reader.read_exact(&mut body).map_err(|e| e.to_string())?;
	}
	if status != "200" {
		return Err(format!("HTTP {status}: {}", String::from_utf8_lossy(&body)));
	}
	Ok(body)
}

/// `0x`-prefixed hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
	let mut s = String::with_capacity(2 + 2 * bytes.len());
	s.push_str("0x");
	for b in bytes {
		let _ = write!(s, "{b:02x}");
	}
	s
}

/// The bytes of `0x`-prefixed hex.
pub fn unhex(s: &str) -> Result<Vec<u8>, RpcError> {
	let s = s.strip_prefix("0x").unwrap_or(s);
	if !s.is_ascii() || !s.len().is_multiple_of(2) {
		return Err(format!("not hex: {} characters", s.len()));
	}
	(0..s.len())
		.step_by(2)
		.map(|i| u8::from_str_radix(&s[i..i + 2], 16).map_err(|e| e.to_string()))
		.collect()
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn hex_round_trips() {
		let bytes: Vec<u8> = (0..=255).collect();
		assert_eq!(unhex(&hex(&bytes)).unwrap(), bytes);
		assert_eq!(hex(&[0xab, 0x01]), "0xab01");
		assert!(unhex("0xabc").is_err());
		assert!(unhex("0xzz").is_err());
		assert!(unhex("0xé0").is_err());
	}
}

# The tutorial's "Cliente Básico", unchanged on the wire; port and host come from argv.
import socket
import sys

porta = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
host = sys.argv[2] if len(sys.argv) > 2 else 'localhost'

# Criar um socket TCP/IP
cliente = socket.socket(socket.AF_INET, socket.SOCK_STREAM)

# Conectar ao servidor
endereco_servidor = (host, porta)
cliente.connect(endereco_servidor)
print(f'Conectado ao servidor em {endereco_servidor[0]}:{endereco_servidor[1]}')

# Receber dados
dados = cliente.recv(1024)
print(f'Mensagem recebida: {dados.decode("utf-8")}')

# Fechar conexão
cliente.close()
